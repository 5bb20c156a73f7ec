import { findKind, qualifiedKind, type KindInfo } from "./registry";
import { objectMetaErrors } from "./object-meta";
import { SchemaCatalog } from "./schemas";
import { describeErrors } from "./validation-messages";

/** A Kubernetes object as read from a manifest: only the envelope is typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [field: string]: unknown;
}

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export type ValidationResult =
  | {
      ok: true;
      /** The object as the API server would store it: status and nulls dropped, CRD defaults applied. */
      object: KubeObject;
      kind: KindInfo;
    }
  | { ok: false; errors: string[] };

/**
 * Validates one object like `kubectl apply --dry-run=server` against the platform's API types
 * (../shared/reference). Messages read like kubectl's, e.g.
 * `InferencePool.inference.networking.k8s.io "x" is invalid: spec.targetPorts: Required value`.
 * The first call for a kind compiles its schema (up to a few seconds for the largest CRDs).
 */
export function validateObject(input: unknown, catalog?: SchemaCatalog): ValidationResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: ["error validating data: the object is not a mapping"] };
  }
  const raw = input as Record<string, unknown>;
  const envelope: string[] = [];
  if (typeof raw.apiVersion !== "string" || raw.apiVersion === "") envelope.push("apiVersion not set");
  if (typeof raw.kind !== "string" || raw.kind === "") envelope.push("kind not set");
  if (envelope.length) return { ok: false, errors: [`error validating data: [${envelope.join(", ")}]`] };
  const apiVersion = raw.apiVersion as string;
  const kindName = raw.kind as string;

  const kind = findKind(apiVersion, kindName);
  if (!kind) return { ok: false, errors: [`no matches for kind ${JSON.stringify(kindName)} in version ${JSON.stringify(apiVersion)}`] };

  const metadata = raw.metadata;
  const name = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>).name : undefined;
  const prefix = `${qualifiedKind(kind)} ${JSON.stringify(typeof name === "string" ? name : "")} is invalid: `;
  if (typeof name !== "string" || name === "") {
    return { ok: false, errors: [`${prefix}metadata.name: Required value: name or generateName is required`] };
  }

  const object = normalize(raw, kind);
  const schemas = catalog ?? SchemaCatalog.shared();
  const version = parseVersion(apiVersion);
  const validate = schemas.validator(kind, version);
  const errors = validate(object) ? [] : describeErrors(validate.errors ?? [], (p) => schemas.fieldPath(kind, version, p));
  errors.push(...objectMetaErrors(kind, object.metadata));
  if (errors.length) return { ok: false, errors: errors.map((e) => prefix + e) };
  return { ok: true, object, kind };
}

const parseVersion = (apiVersion: string) => apiVersion.slice(apiVersion.lastIndexOf("/") + 1);

/**
 * What the API server does before validating: status is a subresource (ignored on apply),
 * JSON nulls in mappings mean "unset", and cluster-scoped objects have no namespace.
 */
function normalize(raw: Record<string, unknown>, kind: KindInfo): KubeObject {
  const copy = dropNulls(structuredClone(raw)) as KubeObject;
  delete copy.status;
  if (!kind.namespaced) delete copy.metadata.namespace;
  return copy;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}
