import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parseAllDocuments } from "yaml";
import { LITELLM_TEAM_API_VERSION, LITELLM_TEAM_KIND, liteLLMTeamFile } from "../litellm-team";

/**
 * Test-only: validates objects against the upstream schemas in ../shared/reference — the served
 * versions' openAPIV3Schema of each CRD, and core kinds from the Kubernetes OpenAPI (swagger)
 * subset with $ref resolution. It is stricter than an API server in one way on purpose: unknown
 * fields are errors (the server would prune them silently, or reject them under strict field
 * validation). It does NOT evaluate CEL rules (x-kubernetes-validations).
 *
 * Runtime code must not import this: it reads reference files outside the app.
 */

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export const REFERENCE_DIR = process.env.GITOPS_REFERENCE_DIR ?? path.resolve(process.cwd(), "sandbox", "reference");

type Schema = Record<string, unknown>;
type KindEntry = { source: string; namespaced: boolean; schema: Schema; validate?: ValidateFunction };

const K8S_ID = "k8s-swagger.json";
const OBJECT_META = `${K8S_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
// Cluster-scoped core kinds of the swagger subset (the rest are namespaced).
const CLUSTER_SCOPED_CORE = new Set(["v1|Namespace", "rbac.authorization.k8s.io/v1|ClusterRole", "rbac.authorization.k8s.io/v1|ClusterRoleBinding"]);
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

let registry: { ajv: Ajv; kinds: Map<string, KindEntry[]> } | undefined;

function load(): { ajv: Ajv; kinds: Map<string, KindEntry[]> } {
  if (registry) return registry;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("int-or-string", true);
  const kinds = new Map<string, KindEntry[]>();
  const add = (key: string, entry: KindEntry) => kinds.set(key, [...(kinds.get(key) ?? []), entry]);

  const swagger = JSON.parse(readFileSync(path.join(REFERENCE_DIR, "k8s-openapi", "swagger-subset-core.json"), "utf8")) as {
    definitions: Record<string, Schema>;
  };
  const definitions: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(swagger.definitions)) definitions[name] = closeObjects(structuredClone(def));
  // In JSON these are strings or numbers; the swagger file types them as strings only.
  definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = { anyOf: [{ type: "integer" }, { type: "string" }] };
  definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"] = { anyOf: [{ type: "number" }, { type: "string", pattern: QUANTITY.source }] };
  ajv.addSchema({ $id: K8S_ID, definitions });
  for (const [name, def] of Object.entries(swagger.definitions)) {
    for (const gvk of (def["x-kubernetes-group-version-kind"] as { group: string; version: string; kind: string }[] | undefined) ?? []) {
      const key = `${gvk.group ? `${gvk.group}/` : ""}${gvk.version}|${gvk.kind}`;
      add(key, { source: `swagger ${name}`, namespaced: !CLUSTER_SCOPED_CORE.has(key), schema: { $ref: `${K8S_ID}#/definitions/${name}` } });
    }
  }

  const crdDir = path.join(REFERENCE_DIR, "crds");
  for (const file of readdirSync(crdDir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    for (const doc of parseAllDocuments(readFileSync(path.join(crdDir, file), "utf8"))) {
      const crd = doc.toJS() as {
        spec: { group: string; scope: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[] };
      } | null;
      if (!crd) continue;
      for (const version of crd.spec.versions) {
        if (!version.served || !version.schema) continue;
        const schema = closeObjects(structuredClone(version.schema.openAPIV3Schema));
        // Every object's metadata is an ObjectMeta, whatever the CRD says (`type: object`).
        (schema.properties as Record<string, Schema>).metadata = { $ref: OBJECT_META };
        add(`${crd.spec.group}/${version.name}|${crd.spec.names.kind}`, {
          source: `${file} ${version.name}`,
          namespaced: crd.spec.scope === "Namespaced",
          schema,
        });
      }
    }
  }
  registry = { ajv, kinds };
  return registry;
}

/** Objects with declared properties accept no others, unless the schema says to keep unknown fields. */
function closeObjects(schema: Schema): Schema {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const s = node as Schema;
    for (const value of Object.values(s)) visit(value);
    if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) {
      if (s["x-kubernetes-embedded-resource"]) {
        const props = s.properties as Record<string, Schema>;
        props.apiVersion ??= { type: "string" };
        props.kind ??= { type: "string" };
        props.metadata ??= { type: "object" };
      }
      s.additionalProperties = false;
    }
  };
  visit(schema);
  return schema;
}

export function knownKinds(): string[] {
  return [...load().kinds.keys(), `${LITELLM_TEAM_API_VERSION}|${LITELLM_TEAM_KIND}`].sort();
}

/** Every problem with one object, as "path: message" lines; empty when it is valid. */
export function validateObject(obj: unknown): string[] {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return ["/: not an object"];
  const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const key = `${String(o.apiVersion)}|${String(o.kind)}`;
  if (o.apiVersion === LITELLM_TEAM_API_VERSION && o.kind === LITELLM_TEAM_KIND) {
    const parsed = liteLLMTeamFile.safeParse(obj);
    return parsed.success ? [] : parsed.error.issues.map((i) => `/${i.path.join("/")}: ${i.message}`);
  }
  const { ajv, kinds } = load();
  const entries = kinds.get(key);
  if (!entries) return [`/: no served schema for apiVersion ${String(o.apiVersion)}, kind ${String(o.kind)}`];
  const errors: string[] = [];
  for (const entry of entries) {
    entry.validate ??= ajv.compile(entry.schema);
    if (!entry.validate(obj)) {
      for (const e of entry.validate.errors ?? []) {
        const extra = e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : "";
        errors.push(`${e.instancePath || "/"}: ${e.message}${extra} [${entry.source}]`);
      }
    }
  }
  errors.push(...objectRules(o, entries[0]!.namespaced, String(o.kind)));
  return errors;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The API server's own checks that no schema states: names, scope, label syntax. */
function objectRules(o: { metadata?: { name?: unknown; namespace?: unknown } }, namespaced: boolean, kind: string): string[] {
  const errors: string[] = [];
  const name = o.metadata?.name;
  const labelNamed = kind === "Namespace" || kind === "Service";
  if (typeof name !== "string" || name.length > (labelNamed ? 63 : 253) || !(labelNamed ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
    errors.push(`/metadata/name: not a valid ${labelNamed ? "DNS-1123 label" : "DNS-1123 subdomain"}: ${String(name)}`);
  }
  const ns = o.metadata?.namespace;
  if (namespaced && (typeof ns !== "string" || !DNS_LABEL.test(ns))) errors.push(`/metadata/namespace: a namespaced ${kind} needs a namespace`);
  if (!namespaced && ns !== undefined) errors.push(`/metadata/namespace: ${kind} is cluster-scoped`);
  // An ApplicationSet's template holds {{...}} parameters, filled in per Application.
  const { spec, ...rest } = o as { spec?: { template?: unknown } };
  walkLabels(kind === "ApplicationSet" && spec ? { ...rest, spec: { ...spec, template: undefined } } : o, "", errors);
  return errors;
}

function walkLabels(node: unknown, at: string, errors: string[]): void {
  if (Array.isArray(node)) return node.forEach((item, i) => walkLabels(item, `${at}/${i}`, errors));
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const here = `${at}/${key}`;
    const isLabelMap = (key === "labels" || key === "matchLabels") && value !== null && typeof value === "object" && !Array.isArray(value);
    if (isLabelMap || key === "annotations") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!validQualifiedName(k)) errors.push(`${here}: invalid key ${JSON.stringify(k)}`);
        if (isLabelMap && (typeof v !== "string" || (v !== "" && (v.length > 63 || !LABEL_NAME.test(v))))) {
          errors.push(`${here}/${k}: invalid label value ${JSON.stringify(v)}`);
        }
      }
      continue;
    }
    walkLabels(value, here, errors);
  }
}

function validQualifiedName(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Parses a rendered file (YAML 1.1 and 1.2 must agree) and validates each object in it. */
export function validateManifest(content: string): { objects: unknown[]; errors: string[] } {
  const objects: unknown[] = [];
  const errors: string[] = [];
  for (const version of ["1.1", "1.2"] as const) {
    const docs = parseAllDocuments(content, { version, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) for (const e of [...doc.errors, ...doc.warnings]) errors.push(`yaml ${version}: ${e.message}`);
    const values = list.map((d) => d.toJS({ maxAliasCount: 0 }));
    if (version === "1.1") objects.push(...values);
    else if (JSON.stringify(values) !== JSON.stringify(objects)) errors.push("YAML 1.1 and 1.2 readers see different data");
  }
  for (const obj of objects) errors.push(...validateObject(obj));
  return { objects, errors };
}
