import { z } from "zod";
import type { KubeObject } from "../cluster/validate";
import { behaviorSchema, scalingRulesOf } from "./scaling-rules";
import type { ScaleSpec } from "./replicas";

/**
 * The part of a `keda.sh/v1alpha1` ScaledObject the stand-in acts on, with KEDA's defaults
 * (pollingInterval 30, cooldownPeriod 300, minReplicaCount 0, maxReplicaCount 100). The objects
 * come from the platform repo, i.e. from tenants' merged requests: parse, never trust.
 */

const numeric = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

const triggerSchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  metricType: z.enum(["AverageValue", "Value", "Utilization"]).optional(),
  metadata: z.record(z.string(), z.string()).default({}),
});

const specSchema = z.object({
  scaleTargetRef: z.object({ apiVersion: z.string().optional(), kind: z.string().optional(), name: z.string().min(1) }),
  pollingInterval: z.number().int().positive().max(3600).optional(),
  cooldownPeriod: z.number().int().min(0).max(86_400).optional(),
  minReplicaCount: z.number().int().min(0).max(1000).optional(),
  maxReplicaCount: z.number().int().min(1).max(1000).optional(),
  advanced: z.object({ horizontalPodAutoscalerConfig: z.object({ behavior: behaviorSchema.optional() }).optional() }).optional(),
  triggers: z.array(triggerSchema).min(1),
});

export interface PrometheusTrigger {
  index: number;
  /** KEDA's external metric name: `s<index>-prometheus`. */
  metricName: string;
  query: string;
  threshold: number;
  activationThreshold: number;
  ignoreNullValues: boolean;
  metricType: "AverageValue" | "Value" | "Utilization";
}

export interface ScaledObjectView {
  namespace: string;
  name: string;
  uid: string;
  target: { apiVersion: string; kind: string; name: string };
  pollingMs: number;
  spec: ScaleSpec;
  triggers: PrometheusTrigger[];
  /** The behaviour as written, for the HPA object. */
  behavior: z.infer<typeof behaviorSchema> | undefined;
}

const triggerMetadata = z.object({
  query: z.string().min(1).max(10_000),
  threshold: numeric.pipe(z.number().positive()),
  activationThreshold: numeric.optional(),
  ignoreNullValues: z.enum(["true", "false"]).optional(),
});

/** Parses a ScaledObject; an error message (for the Ready condition) when it is not usable. */
export function readScaledObject(object: KubeObject, timeScale: number): ScaledObjectView | { error: string } {
  const parsed = specSchema.safeParse(object.spec);
  if (!parsed.success) return { error: `invalid spec: ${parsed.error.issues[0]?.message ?? "unknown"}` };
  const s = parsed.data;
  const min = s.minReplicaCount ?? 0;
  const max = s.maxReplicaCount ?? 100;
  if (min > max) return { error: `minReplicaCount ${min} is greater than maxReplicaCount ${max}` };
  const triggers: PrometheusTrigger[] = [];
  for (const [index, t] of s.triggers.entries()) {
    // Only the prometheus scaler exists in the sandbox; other triggers make the object not ready.
    if (t.type !== "prometheus") return { error: `trigger ${index}: scaler type ${t.type} is not supported by the sandbox` };
    const m = triggerMetadata.safeParse(t.metadata);
    if (!m.success) return { error: `trigger ${index}: ${m.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join(", ")}` };
    triggers.push({
      index,
      metricName: `s${index}-prometheus`,
      query: m.data.query,
      threshold: m.data.threshold,
      activationThreshold: m.data.activationThreshold ?? 0,
      ignoreNullValues: m.data.ignoreNullValues !== "false",
      metricType: t.metricType ?? "AverageValue",
    });
  }
  const behavior = s.advanced?.horizontalPodAutoscalerConfig?.behavior;
  const rules = scalingRulesOf(behavior, timeScale);
  return {
    namespace: object.metadata.namespace ?? "default",
    name: object.metadata.name,
    uid: String(object.metadata.uid ?? ""),
    target: { apiVersion: s.scaleTargetRef.apiVersion ?? "apps/v1", kind: s.scaleTargetRef.kind ?? "Deployment", name: s.scaleTargetRef.name },
    pollingMs: (s.pollingInterval ?? 30) * 1000 * timeScale,
    spec: { minReplicas: min, maxReplicas: max, cooldownMs: (s.cooldownPeriod ?? 300) * 1000 * timeScale, ...rules },
    triggers,
    behavior,
  };
}
