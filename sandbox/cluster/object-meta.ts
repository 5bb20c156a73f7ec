import type { KindInfo } from "./registry";

/**
 * The name and label rules the API server applies to every object (apimachinery's
 * validation.IsDNS1123Subdomain & co.). The swagger only says "string"; these regexes are
 * where tenant slugs and generated names go wrong.
 */

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const full = (re: string) => new RegExp(`^${re}$`);

const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`;
const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`;
const DNS1035_MSG = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`;
const QUALIFIED_MSG = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}')`;
const VALUE_MSG = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE}')`;

function nameErrors(kind: string, group: string, name: string): string[] {
  const at = (msg: string) => `metadata.name: Invalid value: ${JSON.stringify(name)}: ${msg}`;
  if (group === "rbac.authorization.k8s.io") {
    // RBAC names are path segments (`system:aggregate-to-edit` is valid).
    if (name === "." || name === "..") return [at(`may not be '${name}'`)];
    const bad = ["/", "%"].find((c) => name.includes(c));
    return bad ? [at(`may not contain '${bad}'`)] : [];
  }
  if (kind === "Namespace") {
    if (name.length > 63) return [at("must be no more than 63 characters")];
    return full(DNS1123_LABEL).test(name) ? [] : [at(LABEL_MSG)];
  }
  if (kind === "Service" && group === "") {
    if (name.length > 63) return [at("must be no more than 63 characters")];
    return full(DNS1035_LABEL).test(name) ? [] : [at(DNS1035_MSG)];
  }
  if (name.length > 253) return [at("must be no more than 253 characters")];
  return full(DNS1123_SUBDOMAIN).test(name) ? [] : [at(SUBDOMAIN_MSG)];
}

function labelErrors(labels: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.indexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : "";
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const keyAt = (msg: string) => `metadata.labels: Invalid value: ${JSON.stringify(key)}: ${msg}`;
    if (slash >= 0 && (prefix.length > 253 || !full(DNS1123_SUBDOMAIN).test(prefix))) errors.push(keyAt(`prefix part ${SUBDOMAIN_MSG}`));
    if (name.length > 63) errors.push(keyAt("name part must be no more than 63 bytes"));
    else if (!full(QUALIFIED_NAME).test(name)) errors.push(keyAt(QUALIFIED_MSG));
    if (typeof value !== "string") continue; // the schema reports the type
    const valueAt = (msg: string) => `metadata.labels: Invalid value: ${JSON.stringify(value)}: ${msg}`;
    if (value.length > 63) errors.push(valueAt("must be no more than 63 bytes"));
    else if (!full(LABEL_VALUE).test(value)) errors.push(valueAt(VALUE_MSG));
  }
  return errors;
}

/** Field errors in metadata.name, metadata.namespace and metadata.labels. */
export function objectMetaErrors(info: KindInfo, metadata: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (typeof metadata.name === "string") errors.push(...nameErrors(info.kind, info.group, metadata.name));
  if (info.namespaced && typeof metadata.namespace === "string" && !full(DNS1123_LABEL).test(metadata.namespace)) {
    errors.push(`metadata.namespace: Invalid value: ${JSON.stringify(metadata.namespace)}: ${LABEL_MSG}`);
  }
  const labels = metadata.labels;
  if (labels && typeof labels === "object" && !Array.isArray(labels)) errors.push(...labelErrors(labels as Record<string, unknown>));
  return errors;
}

export const isDns1123Label = (value: string) => value.length <= 63 && full(DNS1123_LABEL).test(value);
