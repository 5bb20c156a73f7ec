import { z } from "zod";
import { TRACKING_ANNOTATION } from "../cluster/application";
import type { KubeObject } from "../cluster/validate";
import { strategicMerge } from "./merge";

/**
 * What KServe's controller derives from an InferenceService in Standard (raw Deployment) mode:
 * the `<isvc>-predictor` Deployment and Service, built from the predictor laid over its
 * ServingRuntime. The objects come from the platform repository (tenant-influenced), so the
 * parts acted upon are parsed; the rest of the pod spec is carried over as written, as the API
 * server already checked it against the CRD schema.
 */

export const ISVC_LABEL = "serving.kserve.io/inferenceservice";
export const DEPLOYMENT_MODE_ANNOTATION = "serving.kserve.io/deploymentMode";
/** KServe names the serving container of a runtime so; without one the first container serves. */
export const KSERVE_CONTAINER = "kserve-container";
export const ISVC_API_VERSION = "serving.kserve.io/v1beta1";

export const predictorName = (isvc: string) => `${isvc}-predictor`;
/** The raw-mode selector label value (`app: isvc.<component>`), as KServe's GetRawServiceLabel. */
export const rawServiceLabel = (component: string) => `isvc.${component}`;

const stringMap = z.record(z.string(), z.string());
const modelSchema = z.looseObject({
  modelFormat: z.object({ name: z.string().min(1), version: z.string().optional() }),
  runtime: z.string().min(1).optional(),
});
const containerSchema = z.looseObject({ name: z.string().optional(), args: z.array(z.string()).optional() });
const predictorSchema = z.looseObject({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  model: modelSchema.optional(),
  containers: z.array(containerSchema).min(1).optional(),
});
const isvcSpecSchema = z.object({ predictor: predictorSchema });
const runtimeSpecSchema = z.looseObject({
  supportedModelFormats: z.array(z.object({ name: z.string(), version: z.string().optional(), autoSelect: z.boolean().optional() })).default([]),
  containers: z.array(containerSchema).min(1),
  disabled: z.boolean().optional(),
});

type Json = Record<string, unknown>;

/** A ServingRuntime (namespaced) or ClusterServingRuntime candidate. */
export interface RuntimeRef {
  object: KubeObject;
  clusterScoped: boolean;
}

/** The failure reasons KServe writes to `status.modelStatus.lastFailureInfo`. */
export type PlanFailureReason = "RuntimeNotRecognized" | "NoSupportingRuntime" | "RuntimeDisabled" | "InvalidPredictorSpec";

export type PredictorPlan =
  | { ok: true; runtimeName?: string; deployment: KubeObject; service: KubeObject }
  | { ok: false; reason: PlanFailureReason; message: string };

// ComponentExtensionSpec and implementation fields of the predictor: everything else is PodSpec.
const NOT_POD_SPEC = new Set([
  "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType", "autoScaling", "containerConcurrency",
  "timeout", "canaryTrafficPercent", "logger", "batcher", "labels", "annotations", "deploymentStrategy", "storageUris",
  "storageContainerName", "name", "model", "workerSpec", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx",
  "pmml", "lightgbm", "paddle", "huggingface", "containers",
]);
// ServingRuntimeSpec fields that are not ServingRuntimePodSpec.
const RUNTIME_ONLY = new Set([
  "supportedModelFormats", "multiModel", "disabled", "protocolVersions", "grpcEndpoint", "grpcDataEndpoint", "httpDataEndpoint",
  "replicas", "storageHelper", "builtInAdapter", "workerSpec", "containers", "annotations", "labels",
]);
// ModelSpec fields that are not Container fields.
const MODEL_ONLY = new Set(["modelFormat", "runtime", "storageUri", "storage", "protocolVersion"]);
// Never copied to children: Argo CD would count the child as its own resource (and prune it);
// kubectl's record of the parent's manifest means nothing on the child.
const NOT_INHERITED = new Set([TRACKING_ANNOTATION, "kubectl.kubernetes.io/last-applied-configuration"]);

const omit = (o: Json, keys: Set<string>): Json => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.has(k)));
const inherit = (m: Record<string, string> | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !NOT_INHERITED.has(k)));

/** KServe renders `{{.Name}}`, `{{.Namespace}}`, `{{.Labels.x}}`, `{{.Annotations.x}}` of the isvc into runtime args. */
function replacePlaceholders(value: string, isvc: KubeObject): string {
  const m = isvc.metadata;
  return value.replace(/\{\{\s*\.(Name|Namespace|Labels|Annotations)(?:\.([A-Za-z0-9_]+))?\s*\}\}/g, (whole, field: string, key?: string) => {
    if (field === "Name" && !key) return m.name;
    if (field === "Namespace" && !key) return m.namespace ?? "";
    const map = field === "Labels" ? m.labels : field === "Annotations" ? m.annotations : undefined;
    return key && map?.[key] !== undefined ? map[key] : whole;
  });
}

function supports(runtime: KubeObject, format: { name: string; version?: string }, requireAutoSelect: boolean): boolean {
  const parsed = runtimeSpecSchema.safeParse(runtime.spec);
  if (!parsed.success) return false;
  return parsed.data.supportedModelFormats.some(
    (f) => f.name.toLowerCase() === format.name.toLowerCase() && (!format.version || !f.version || f.version === format.version) && (!requireAutoSelect || f.autoSelect === true),
  );
}

/** The runtime KServe would pick: the named one (namespaced first), or an auto-selectable one supporting the format. */
function selectRuntime(model: z.infer<typeof modelSchema>, runtimes: readonly RuntimeRef[]): { runtime: RuntimeRef } | { reason: PlanFailureReason; message: string } {
  const ordered = [...runtimes].sort((a, b) => Number(a.clusterScoped) - Number(b.clusterScoped));
  if (model.runtime) {
    const runtime = ordered.find((r) => r.object.metadata.name === model.runtime);
    if (!runtime) return { reason: "RuntimeNotRecognized", message: "Waiting for runtime to become available" };
    if ((runtime.object.spec as Json | undefined)?.disabled === true) return { reason: "RuntimeDisabled", message: "Specified runtime is disabled" };
    if (!supports(runtime.object, model.modelFormat, false)) return { reason: "NoSupportingRuntime", message: "Specified runtime does not support specified framework/version" };
    return { runtime };
  }
  const runtime = ordered.find((r) => (r.object.spec as Json | undefined)?.disabled !== true && supports(r.object, model.modelFormat, true));
  return runtime ? { runtime } : { reason: "NoSupportingRuntime", message: `No runtime found to support predictor with model type: ${model.modelFormat.name}` };
}

function containersOf(isvc: KubeObject, predictor: z.infer<typeof predictorSchema>, runtimeSpec: Json | undefined): Json[] {
  const render = (c: Json): Json => {
    const out = { ...c };
    for (const field of ["command", "args"] as const) {
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).map((a) => (typeof a === "string" ? replacePlaceholders(a, isvc) : a));
    }
    return out;
  };
  if (!predictor.model || !runtimeSpec) return (predictor.containers ?? []).map((c) => render(c));
  const runtimeContainers = (runtimeSpec.containers as Json[]) ?? [];
  const index = Math.max(0, runtimeContainers.findIndex((c) => c.name === KSERVE_CONTAINER));
  const base = runtimeContainers[index]!;
  const override = omit(predictor.model, MODEL_ONLY);
  const merged = strategicMerge(base, override);
  // MergeRuntimeContainers: a strategic merge replaces args; KServe appends the predictor's instead.
  merged.args = [...((base.args as string[] | undefined) ?? []), ...((override.args as string[] | undefined) ?? [])];
  if (!merged.name) merged.name = base.name ?? KSERVE_CONTAINER;
  return [render(merged), ...runtimeContainers.filter((_, i) => i !== index).map((c) => render(c))];
}

/** The predictor Deployment and Service for `isvc`, or why KServe would not create them. */
export function planPredictor(isvc: KubeObject, runtimes: readonly RuntimeRef[]): PredictorPlan {
  const parsed = isvcSpecSchema.safeParse(isvc.spec);
  const namespace = isvc.metadata.namespace;
  if (!parsed.success || !namespace) return { ok: false, reason: "InvalidPredictorSpec", message: "spec.predictor must set model (with modelFormat) or containers" };
  const predictor = parsed.data.predictor;
  if (!predictor.model && !predictor.containers) return { ok: false, reason: "InvalidPredictorSpec", message: "spec.predictor must set model (with modelFormat) or containers" };

  let runtimeSpec: Json | undefined;
  let runtimeName: string | undefined;
  if (predictor.model) {
    const selected = selectRuntime(predictor.model, runtimes);
    if ("reason" in selected) return { ok: false, ...selected };
    runtimeSpec = selected.runtime.object.spec as Json;
    runtimeName = selected.runtime.object.metadata.name;
  }

  const name = predictorName(isvc.metadata.name);
  const selector = { app: rawServiceLabel(name) };
  const labels = { ...inherit(isvc.metadata.labels), ...predictor.labels, [ISVC_LABEL]: isvc.metadata.name, component: "predictor", ...selector };
  const annotations = { ...inherit(isvc.metadata.annotations), ...predictor.annotations };
  const podSpec: Json = {
    ...strategicMerge(runtimeSpec ? omit(runtimeSpec, RUNTIME_ONLY) : {}, omit(predictor, NOT_POD_SPEC)),
    containers: containersOf(isvc, predictor, runtimeSpec),
  };
  const owner = {
    apiVersion: ISVC_API_VERSION,
    kind: "InferenceService",
    name: isvc.metadata.name,
    uid: String(isvc.metadata.uid ?? ""),
    controller: true,
    blockOwnerDeletion: true,
  };
  const metadata = { name, namespace, labels, annotations, ownerReferences: [owner] };
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata,
    // No replicas: with autoscalerClass external the scaler (KEDA) owns the count, and an
    // applied count would reset it on every reconcile.
    spec: {
      selector: { matchLabels: selector },
      strategy: (predictor.deploymentStrategy as Json | undefined) ?? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      template: { metadata: { labels, annotations }, spec: podSpec },
    },
  };
  const firstPort = ((podSpec.containers as Json[])[0]?.ports as Array<{ containerPort?: number; name?: string }> | undefined)?.[0];
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: structuredClone(metadata),
    spec: {
      type: "ClusterIP",
      selector,
      ports: [{ name: firstPort?.name ?? "http", protocol: "TCP", port: 80, targetPort: firstPort?.containerPort ?? 8080 }],
    },
  };
  return { ok: true, runtimeName, deployment, service };
}
