import { kubeTimestamp } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import type { PlanFailureReason } from "./predictor";

/**
 * The InferenceService status KServe writes in Standard mode: PredictorReady mirrors the
 * predictor Deployment's Available condition (PropagateRawStatus), IngressReady follows once the
 * predictor is ready (the raw ingress reconciler, which also sets `url` and `address`), and Ready
 * is Knative's living condition set over both. `modelStatus` comes from the predictor's pods
 * (PropagateModelStatus). Transition times move only when a condition changes, so rewriting an
 * unchanged status is a no-op in the store.
 */

export interface KnativeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

export interface StatusInput {
  isvc: KubeObject;
  /** `<isvc>-predictor` */
  predictor: string;
  deploymentMode: string;
  /** KServe's default ingress domain is example.com; `url` is `http://<isvc>-<namespace>.<domain>`. */
  ingressDomain: string;
  runtimeName?: string;
  deployment?: KubeObject;
  /** The predictor's pods (not being deleted). */
  pods: KubeObject[];
  failure?: { reason: PlanFailureReason; message: string };
}

type Json = Record<string, unknown>;
type Cond = Omit<KnativeCondition, "lastTransitionTime">;

function deploymentCondition(deployment: KubeObject | undefined): Cond {
  const conditions = ((deployment?.status as Json | undefined)?.conditions as Array<Json> | undefined) ?? [];
  const available = conditions.find((c) => c.type === "Available");
  if (!available) return { type: "PredictorReady", status: "Unknown" };
  const status = available.status === "True" ? "True" : available.status === "False" ? "False" : "Unknown";
  return {
    type: "PredictorReady",
    status,
    ...(typeof available.reason === "string" ? { reason: available.reason } : {}),
    ...(typeof available.message === "string" ? { message: available.message } : {}),
  };
}

/** Knative's Ready: True when every dependent is, else the first False one, else the first Unknown one. */
function readyOf(dependents: Cond[]): Cond {
  const worst = dependents.find((c) => c.status === "False") ?? dependents.find((c) => c.status === "Unknown");
  return worst ? { type: "Ready", status: worst.status, ...(worst.reason ? { reason: worst.reason } : {}), ...(worst.message ? { message: worst.message } : {}) } : { type: "Ready", status: "True" };
}

const podReady = (pod: KubeObject) =>
  (((pod.status as Json | undefined)?.conditions as Array<Json> | undefined) ?? []).some((c) => c.type === "Ready" && c.status === "True");
const podScheduled = (pod: KubeObject) => Boolean((pod.spec as Json | undefined)?.nodeName);

function modelStatus(input: StatusInput, ready: boolean, previous: Json | undefined): Json {
  const active = String(((previous?.states as Json | undefined)?.activeModelState as string | undefined) ?? "");
  if (input.failure) {
    return {
      states: { activeModelState: active, targetModelState: "FailedToLoad" },
      transitionStatus: "InvalidSpec",
      lastFailureInfo: { reason: input.failure.reason, message: input.failure.message },
    };
  }
  const pods = input.pods;
  if (pods.length === 0) return { states: { activeModelState: active, targetModelState: "Pending" }, transitionStatus: "InProgress" };
  const copies = { failedCopies: 0, totalCopies: pods.length };
  if (ready && pods.some(podReady)) return { states: { activeModelState: "Loaded", targetModelState: "Loaded" }, transitionStatus: "UpToDate", copies };
  const target = pods.some(podScheduled) ? "Loading" : "Pending";
  return { states: { activeModelState: active, targetModelState: target }, transitionStatus: "InProgress", copies };
}

export function inferenceServiceStatus(input: StatusInput): Json {
  const previous = (input.isvc.status as Json | undefined) ?? {};
  const before = (previous.conditions as KnativeCondition[] | undefined) ?? [];
  const now = kubeTimestamp();
  const stamp = (c: Cond): KnativeCondition => {
    const old = before.find((p) => p.type === c.type);
    const same = old && old.status === c.status && old.reason === c.reason && old.message === c.message;
    return { ...c, lastTransitionTime: same ? old.lastTransitionTime : now };
  };
  const { isvc, predictor } = input;
  const namespace = isvc.metadata.namespace ?? "";

  // Predictor first: Ready then carries the Deployment's reason (e.g. MinimumReplicasUnavailable).
  let dependents: [Cond, Cond];
  if (input.failure) {
    // KServe returns before propagating anything: the conditions stay as initialized.
    dependents = [{ type: "PredictorReady", status: "Unknown" }, { type: "IngressReady", status: "Unknown" }];
  } else {
    const predictorReady = deploymentCondition(input.deployment);
    const ingressReady: Cond = predictorReady.status === "True" ? { type: "IngressReady", status: "True" } : { type: "IngressReady", status: "False", reason: "Predictor ingress not created" };
    dependents = [predictorReady, ingressReady];
  }
  const ready = readyOf(dependents);
  const predictorAvailable = dependents[0].status === "True";
  // Set once the predictor first became ready; KServe keeps them while it rolls or scales.
  const reachable = predictorAvailable || typeof previous.url === "string";
  const components = (previous.components as Json | undefined) ?? {};
  const previousPredictor = (components.predictor as Json | undefined) ?? {};
  const revision = (input.deployment?.metadata.annotations as Record<string, string> | undefined)?.["deployment.kubernetes.io/revision"];
  const predictorStatus: Json = {
    ...(revision ? { latestCreatedRevision: revision } : {}),
    ...(predictorAvailable || previousPredictor.url ? { url: `http://${predictor}-${namespace}.${input.ingressDomain}` } : {}),
  };

  return {
    observedGeneration: Number(isvc.metadata.generation ?? 1),
    deploymentMode: input.deploymentMode,
    ...(input.runtimeName ? { servingRuntimeName: input.runtimeName } : {}),
    conditions: [...dependents, ready].map(stamp).sort((a, b) => a.type.localeCompare(b.type)),
    ...(reachable
      ? {
          url: `http://${isvc.metadata.name}-${namespace}.${input.ingressDomain}`,
          address: { url: `http://${predictor}.${namespace}.svc.cluster.local` },
        }
      : {}),
    ...(input.failure ? {} : { components: { predictor: predictorStatus } }),
    modelStatus: modelStatus(input, ready.status === "True", previous.modelStatus as Json | undefined),
  };
}
