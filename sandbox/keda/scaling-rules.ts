import { z } from "zod";

/**
 * The HorizontalPodAutoscaler `behavior` rules KEDA hands to the HPA it creates
 * (`advanced.horizontalPodAutoscalerConfig.behavior`), with Kubernetes' defaults filled in.
 * Durations are kept in milliseconds already multiplied by the sandbox time scale.
 */

const policySchema = z.object({
  type: z.enum(["Pods", "Percent"]),
  value: z.number().int().positive(),
  periodSeconds: z.number().int().positive().max(1800),
});

export const scalingRulesSchema = z.object({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600).optional(),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).optional(),
  policies: z.array(policySchema).optional(),
});

export const behaviorSchema = z.object({ scaleUp: scalingRulesSchema.optional(), scaleDown: scalingRulesSchema.optional() });
export type Behavior = z.infer<typeof behaviorSchema>;

export interface ScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodMs: number;
}

export interface ScalingRules {
  stabilizationWindowMs: number;
  selectPolicy: "Max" | "Min" | "Disabled";
  policies: ScalingPolicy[];
}

/** Kubernetes' defaults: up at once (100 % or 4 pods per 15 s), down 100 % per 15 s after 300 s. */
const DEFAULT_UP = { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }, { type: "Pods", value: 4, periodSeconds: 15 }] } as const;
const DEFAULT_DOWN = { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] } as const;

function rules(given: z.infer<typeof scalingRulesSchema> | undefined, defaults: typeof DEFAULT_UP | typeof DEFAULT_DOWN, msPerSecond: number): ScalingRules {
  const policies = given?.policies?.length ? given.policies : defaults.policies;
  return {
    stabilizationWindowMs: (given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds) * msPerSecond,
    selectPolicy: given?.selectPolicy ?? "Max",
    policies: policies.map((p) => ({ type: p.type, value: p.value, periodMs: p.periodSeconds * msPerSecond })),
  };
}

/** `timeScale` 0.1 makes every window and period ten times shorter (tests, demos). */
export function scalingRulesOf(behavior: Behavior | undefined, timeScale = 1): { up: ScalingRules; down: ScalingRules } {
  const msPerSecond = 1000 * timeScale;
  return { up: rules(behavior?.scaleUp, DEFAULT_UP, msPerSecond), down: rules(behavior?.scaleDown, DEFAULT_DOWN, msPerSecond) };
}
