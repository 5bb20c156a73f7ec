import type { KindInfo } from "./registry";
import type { KubeObject } from "./validate";

/** Argo CD's health states (gitops-engine health.HealthStatusCode). */
export type HealthStatusCode = "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";

export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
}

/**
 * Health of one live object, or undefined for kinds Argo CD has no health check for (ConfigMap,
 * Role…), which then do not count towards the Application's health.
 */
export type HealthCheck = (object: KubeObject, kind: KindInfo) => HealthStatus | undefined;

/** Kinds Argo CD assesses (built-in checks and the bundled Lua checks of these CRDs). */
const CHECKED = new Set([
  "apps/Deployment",
  "apps/StatefulSet",
  "batch/Job",
  "/PersistentVolumeClaim",
  "/Service",
  "autoscaling/HorizontalPodAutoscaler",
  "policy/PodDisruptionBudget",
  "keda.sh/ScaledObject",
  "external-secrets.io/ExternalSecret",
  "serving.kserve.io/InferenceService",
  "leaderworkerset.x-k8s.io/LeaderWorkerSet",
  "argoproj.io/Application",
]);

/**
 * The stand-in has no kubelet, so workloads are healthy as soon as they exist. A simulator
 * that models replica readiness passes its own check to startCluster({ health }) — or writes
 * status and wraps this one.
 */
export const defaultHealthCheck: HealthCheck = (_object, kind) =>
  CHECKED.has(`${kind.group}/${kind.kind}`) ? { status: "Healthy" } : undefined;

/** gitops-engine's ordering: the application is as healthy as its least healthy resource. */
const SEVERITY: HealthStatusCode[] = ["Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"];

export function worstHealth(statuses: Array<HealthStatus | undefined>): HealthStatus {
  let worst: HealthStatus = { status: "Healthy" };
  for (const s of statuses) if (s && SEVERITY.indexOf(s.status) > SEVERITY.indexOf(worst.status)) worst = s;
  return worst;
}
