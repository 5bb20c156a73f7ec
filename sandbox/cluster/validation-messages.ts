import type { ErrorObject } from "ajv";
import { QUANTITY_PATTERN } from "./schema-keywords";

/**
 * Turns Ajv errors into the field errors the API server prints (apimachinery field.Error and
 * kube-openapi's validation messages), e.g. `spec.replicas: Invalid value: "string":
 * spec.replicas in body must be of type integer: "string"`.
 */

/** Renders an Ajv instancePath as the API server's field path (see SchemaCatalog.fieldPath). */
export type PathOf = (instancePath: string) => string;

const child = (parent: string, name: string) => (parent === "<root>" ? name : `${parent}.${name}`);

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v);
const show = (v: unknown) => JSON.stringify(v);

export function describeError(e: ErrorObject, pathOf: PathOf): string {
  const p = pathOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${child(p, String(params.missingProperty))}: Required value`;
    case "type":
      return `${p}: Invalid value: "${jsonType(e.data)}": ${p} in body must be of type ${String(params.type)}: "${jsonType(e.data)}"`;
    case "enum":
      return `${p}: Unsupported value: ${show(e.data)}: supported values: ${(params.allowedValues as unknown[]).map(show).join(", ")}`;
    case "const":
      return `${p}: Unsupported value: ${show(e.data)}: supported values: ${show(params.allowedValue)}`;
    case "additionalProperties":
      return `unknown field "${child(p, String(params.additionalProperty))}"`;
    case "maxItems":
      return `${p}: Too many: ${(e.data as unknown[]).length}: must have at most ${String(params.limit)} items`;
    case "minItems":
      return `${p}: Invalid value: ${(e.data as unknown[]).length}: ${p} in body should have at least ${String(params.limit)} items`;
    case "maxLength":
      return `${p}: Too long: may not be more than ${String(params.limit)} bytes`;
    case "minLength":
      return `${p}: Invalid value: ${show(e.data)}: ${p} in body should be at least ${String(params.limit)} chars long`;
    case "pattern":
      return `${p}: Invalid value: ${show(e.data)}: ${p} in body should match '${String(params.pattern)}'`;
    case "minimum":
    case "exclusiveMinimum":
      return `${p}: Invalid value: ${show(e.data)}: ${p} in body should be greater than ${e.keyword === "minimum" ? "or equal to " : ""}${String(params.limit)}`;
    case "maximum":
    case "exclusiveMaximum":
      return `${p}: Invalid value: ${show(e.data)}: ${p} in body should be less than ${e.keyword === "maximum" ? "or equal to " : ""}${String(params.limit)}`;
    case "format":
      return `${p}: Invalid value: ${show(e.data)}: ${p} in body must be of type ${String(params.format)}: ${show(e.data)}`;
    case "maxProperties":
      return `${p}: Too many: ${Object.keys(e.data as object).length}: must have at most ${String(params.limit)} items`;
    case "minProperties":
      return `${p}: Invalid value: ${Object.keys(e.data as object).length}: ${p} in body should have at least ${String(params.limit)} properties`;
    case "x-kubernetes-list-type":
      return `${p}[${Number(params.index)}]: Duplicate value: ${show(params.value)}`;
    case "x-sandbox-quantity":
      return `${p}: Invalid value: ${show(e.data)}: quantities must match the regular expression '${QUANTITY_PATTERN.source}'`;
    case "anyOf":
    case "oneOf":
      return describeJunctor(e, p);
    default:
      return `${p}: Invalid value: ${show(e.data)}: ${e.message ?? e.keyword}`;
  }
}

function describeJunctor(e: ErrorObject, p: string): string {
  const branches = (e.schema as Array<Record<string, unknown>> | undefined) ?? [];
  const types = branches.map((b) => b.type);
  // int-or-string and friends: a type mismatch, not a "schema" mismatch, for the reader.
  if (types.length > 0 && types.every((t) => typeof t === "string") && branches.every((b) => Object.keys(b).length === 1)) {
    return `${p}: Invalid value: "${jsonType(e.data)}": ${p} in body must be of type ${types.join(",")}: "${jsonType(e.data)}"`;
  }
  return e.keyword === "oneOf"
    ? `${p}: Invalid value: ${show(e.data)}: ${p} in body must validate one and only one schema (oneOf)`
    : `${p}: Invalid value: ${show(e.data)}: ${p} in body must match at least one schema (anyOf)`;
}

/**
 * Keeps the errors a reader can act on: a failed anyOf/oneOf reports once instead of once per
 * branch, and duplicate messages collapse.
 */
export function describeErrors(errors: ErrorObject[], pathOf: PathOf): string[] {
  // Schema paths restart inside each $ref'd definition, so the data path must match too.
  const junctions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "not");
  const within = (e: ErrorObject, j: ErrorObject) =>
    e.schemaPath.startsWith(`${j.schemaPath}/`) && (e.instancePath === j.instancePath || e.instancePath.startsWith(`${j.instancePath}/`));
  const kept = errors.filter((e) => !junctions.some((j) => within(e, j)));
  return [...new Set(kept.map((e) => describeError(e, pathOf)))];
}
