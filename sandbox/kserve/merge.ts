/**
 * The strategic-merge rules KServe relies on when it lays an InferenceService's predictor over
 * its ServingRuntime (`MergeRuntimeContainers`, `MergePodSpec`): maps merge key by key, lists
 * with a Kubernetes patch merge key merge element by element, other lists and scalars are
 * replaced by the override. Only the keys of core/v1 Container and PodSpec the templates can
 * carry are listed; an unknown list is replaced, which is also what the API machinery does.
 */

type Json = Record<string, unknown>;

/** `patchMergeKey` of core/v1 Container and PodSpec list fields. */
const MERGE_KEYS: Record<string, string> = {
  env: "name",
  ports: "containerPort",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  volumes: "name",
  imagePullSecrets: "name",
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  resourceClaims: "name",
  hostAliases: "ip",
};

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function mergeList(base: unknown[], override: unknown[], key: string): unknown[] {
  const out = base.map((b) => structuredClone(b));
  for (const o of override) {
    const index = isRecord(o) ? out.findIndex((b) => isRecord(b) && b[key] !== undefined && b[key] === o[key]) : -1;
    if (index >= 0) out[index] = strategicMerge(out[index] as Json, o as Json);
    else out.push(structuredClone(o));
  }
  return out;
}

/** `override` laid over `base`; neither is modified. */
export function strategicMerge(base: Json, override: Json): Json {
  const out: Json = structuredClone(base);
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    const current = out[k];
    const key = MERGE_KEYS[k];
    if (isRecord(v) && isRecord(current)) out[k] = strategicMerge(current, v);
    else if (Array.isArray(v) && Array.isArray(current) && key) out[k] = mergeList(current, v, key);
    else out[k] = structuredClone(v);
  }
  return out;
}
