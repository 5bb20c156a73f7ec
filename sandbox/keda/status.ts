import { kubeTimestamp } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import type { ScaledObjectView } from "./scaled-object";

/**
 * What KEDA writes back: the ScaledObject status (conditions Ready/Active/Fallback/Paused,
 * scaleTargetKind, hpaName, lastActiveTime, per-metric health) and the `keda-hpa-<name>`
 * autoscaling/v2 HorizontalPodAutoscaler it owns.
 */

type Condition = { type: string; status: "True" | "False" | "Unknown"; reason: string; message: string };

export interface LoopOutcome {
  active: boolean;
  lastActiveAt?: number;
  /** Trigger errors of this poll, by metric name. */
  errors: Map<string, string>;
  failures: Map<string, number>;
}

export const hpaNameOf = (name: string) => `keda-hpa-${name}`;

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
const versionOf = (apiVersion: string) => apiVersion.split("/").at(-1)!;

export function scaledObjectStatus(so: ScaledObjectView, outcome: LoopOutcome, originalReplicas: number | undefined): Record<string, unknown> {
  const failing = [...outcome.errors.values()];
  const conditions: Condition[] = [
    failing.length === so.triggers.length
      ? { type: "Ready", status: "False", reason: "TriggerError", message: failing[0] ?? "triggers failed" }
      : { type: "Ready", status: "True", reason: "ScaledObjectReady", message: "ScaledObject is defined correctly and is ready for scaling" },
    outcome.active
      ? { type: "Active", status: "True", reason: "ScalerActive", message: "Scaling is performed because triggers are active" }
      : { type: "Active", status: "False", reason: "ScalerNotActive", message: "Scaling is not performed because triggers are not active" },
    { type: "Fallback", status: "False", reason: "NoFallbackFound", message: "No fallbacks are active on this scaled object" },
    { type: "Paused", status: "False", reason: "ScaledObjectUnpaused", message: "pause annotation removed for ScaledObject" },
  ];
  const kindLower = so.target.kind.toLowerCase();
  return {
    scaleTargetKind: `${so.target.apiVersion}.${so.target.kind}`,
    scaleTargetGVKR: { group: groupOf(so.target.apiVersion), version: versionOf(so.target.apiVersion), kind: so.target.kind, resource: kindLower.endsWith("s") ? kindLower : `${kindLower}s` },
    ...(originalReplicas !== undefined ? { originalReplicaCount: originalReplicas } : {}),
    ...(outcome.lastActiveAt !== undefined ? { lastActiveTime: kubeTimestamp(new Date(outcome.lastActiveAt)) } : {}),
    externalMetricNames: so.triggers.map((t) => t.metricName),
    hpaName: hpaNameOf(so.name),
    health: Object.fromEntries(
      so.triggers.map((t) => {
        const failures = outcome.failures.get(t.metricName) ?? 0;
        return [t.metricName, { numberOfFailures: failures, status: failures ? "Failing" : "Happy" }];
      }),
    ),
    conditions,
  };
}

/** Ready=False with the parse error, as KEDA reports an invalid ScaledObject. */
export function invalidStatus(message: string): Record<string, unknown> {
  return { conditions: [{ type: "Ready", status: "False", reason: "ScaledObjectCheckFailed", message }, { type: "Active", status: "Unknown", reason: "", message: "" }] };
}

/** A metric value as a Kubernetes quantity ("4", "2500m"). */
export function quantity(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return `${Math.round(value * 1000)}m`;
}

export function hpaObject(so: ScaledObjectView): KubeObject {
  const name = hpaNameOf(so.name);
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: {
      name,
      namespace: so.namespace,
      labels: {
        "app.kubernetes.io/managed-by": "keda-operator",
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": so.name,
        "scaledobject.keda.sh/name": so.name,
      },
      ownerReferences: [{ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", name: so.name, uid: so.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      scaleTargetRef: so.target,
      minReplicas: Math.max(so.spec.minReplicas, 1),
      maxReplicas: so.spec.maxReplicas,
      metrics: so.triggers.map((t) => ({
        type: "External",
        external: {
          metric: { name: t.metricName, selector: { matchLabels: { "scaledobject.keda.sh/name": so.name } } },
          target: t.metricType === "Value" ? { type: "Value", value: quantity(t.threshold) } : { type: "AverageValue", averageValue: quantity(t.threshold) },
        },
      })),
      ...(so.behavior ? { behavior: so.behavior } : {}),
    },
  } as KubeObject;
}

export function hpaStatus(so: ScaledObjectView, current: number, desired: number, values: Map<string, number>, lastScaleAt: number | undefined): Record<string, unknown> {
  return {
    currentReplicas: current,
    desiredReplicas: desired,
    ...(lastScaleAt !== undefined ? { lastScaleTime: kubeTimestamp(new Date(lastScaleAt)) } : {}),
    currentMetrics: so.triggers
      .filter((t) => values.has(t.metricName))
      .map((t) => ({
        type: "External",
        external: {
          metric: { name: t.metricName, selector: { matchLabels: { "scaledobject.keda.sh/name": so.name } } },
          current: { averageValue: quantity(values.get(t.metricName)! / Math.max(current, 1)) },
        },
      })),
  };
}
