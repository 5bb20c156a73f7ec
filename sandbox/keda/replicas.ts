import type { ScalingRules } from "./scaling-rules";

/**
 * The replica decision KEDA and the HPA make together, as a pure function of the trigger
 * readings and what happened before:
 * - KEDA owns 0 ↔ 1: with `minReplicaCount: 0` it activates the target when any trigger's value
 *   exceeds its activationThreshold, and scales it back to 0 only after `cooldownPeriod` with all
 *   triggers inactive.
 * - The HPA owns 1 ↔ max: per `AverageValue` metric desired = ceil(value / threshold) (10 %
 *   tolerance around the current count), the max across metrics, then the behaviour's
 *   stabilization windows and rate policies, clamped to [max(min, 1), max].
 */

export interface TriggerReading {
  /** Undefined when the query failed (or returned nothing with ignoreNullValues false). */
  value: number | undefined;
  threshold: number;
  activationThreshold: number;
}

export interface ScaleSpec {
  minReplicas: number;
  maxReplicas: number;
  cooldownMs: number;
  up: ScalingRules;
  down: ScalingRules;
}

interface Timed {
  at: number;
  replicas: number;
}

export interface ScaleState {
  replicas: number;
  /** Last time a trigger was active (ms); start of the cooldown towards zero. */
  lastActiveAt?: number;
  /** HPA recommendations, for the stabilization windows. */
  recommendations: Timed[];
  /** Replica changes made by the HPA (replicas = signed delta), for the rate policies. */
  events: Timed[];
}

export interface ScaleDecision {
  replicas: number;
  /** Any trigger above its activation threshold. */
  active: boolean;
  /** What the HPA alone would want (its desiredReplicas), when it is in charge. */
  hpaDesired: number | undefined;
  state: ScaleState;
}

/** The HPA's default tolerance: ratios within 10 % of 1 do not move the replica count. */
export const HPA_TOLERANCE = 0.1;

export function initialScaleState(replicas: number): ScaleState {
  return { replicas, recommendations: [], events: [] };
}

/** One metric's wish for the replica count (HPA `AverageValue` on an External metric). */
export function metricDesired(value: number, threshold: number, current: number): number {
  if (current <= 0) return Math.ceil(value / threshold);
  const ratio = value / (threshold * current);
  if (Math.abs(ratio - 1) <= HPA_TOLERANCE) return current;
  return Math.ceil(value / threshold);
}

export function decideReplicas(spec: ScaleSpec, readings: readonly TriggerReading[], state: ScaleState, now: number): ScaleDecision {
  const valid = readings.filter((r): r is TriggerReading & { value: number } => r.value !== undefined && Number.isFinite(r.value));
  const failed = valid.length < readings.length;
  const active = valid.some((r) => r.value > r.activationThreshold);
  const lastActiveAt = active ? now : state.lastActiveAt;
  const current = state.replicas;
  const keep = (hpaDesired?: number): ScaleDecision => ({ replicas: current, active, hpaDesired, state: { ...state, lastActiveAt } });

  // Every trigger failing (or none usable): KEDA keeps the current count (no fallback configured).
  if (!valid.length) return keep();

  const hpaMin = Math.max(spec.minReplicas, 1);
  if (current === 0) {
    if (active) return moved(Math.min(hpaMin, spec.maxReplicas), true, undefined);
    // minReplicaCount raised above 0 while idle: KEDA brings the target up to it.
    return spec.minReplicas > 0 ? moved(Math.min(spec.minReplicas, spec.maxReplicas), active, undefined) : keep();
  }
  if (spec.minReplicas === 0 && !active && !failed) {
    const since = state.lastActiveAt ?? -Infinity;
    if (now - since >= spec.cooldownMs) return moved(0, false, undefined);
  }

  // The HPA: one desired count per metric, the largest wins; failed metrics may not scale down.
  let desired = Math.max(...valid.map((r) => metricDesired(r.value, r.threshold, current)));
  if (failed) desired = Math.max(desired, current);
  desired = clamp(desired, hpaMin, spec.maxReplicas);
  const recommendations = [...state.recommendations, { at: now, replicas: desired }].filter(
    (r) => now - r.at <= Math.max(spec.up.stabilizationWindowMs, spec.down.stabilizationWindowMs),
  );
  const stabilized = stabilize(current, desired, recommendations, spec, now);
  let next = stabilized;
  if (stabilized > current) next = Math.min(stabilized, scaleUpLimit(current, state.events, spec.up, now), spec.maxReplicas);
  else if (stabilized < current) next = Math.max(stabilized, scaleDownLimit(current, state.events, spec.down, now), hpaMin);
  next = clamp(next, hpaMin, spec.maxReplicas);
  const events = pruneEvents([...state.events, ...(next !== current ? [{ at: now, replicas: next - current }] : [])], spec, now);
  return { replicas: next, active, hpaDesired: desired, state: { replicas: next, lastActiveAt, recommendations, events } };

  function moved(replicas: number, isActive: boolean, hpaDesired: number | undefined): ScaleDecision {
    return { replicas, active: isActive, hpaDesired, state: { replicas, lastActiveAt, recommendations: [], events: [] } };
  }
}

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** Upscale: the lowest recommendation in the up window; downscale: the highest in the down window. */
function stabilize(current: number, desired: number, recommendations: readonly Timed[], spec: ScaleSpec, now: number): number {
  let up = desired;
  let down = desired;
  for (const r of recommendations) {
    if (now - r.at <= spec.up.stabilizationWindowMs) up = Math.min(up, r.replicas);
    if (now - r.at <= spec.down.stabilizationWindowMs) down = Math.max(down, r.replicas);
  }
  let result = current;
  if (result < up) result = up;
  if (result > down) result = down;
  return result;
}

function changedWithin(events: readonly Timed[], periodMs: number, now: number, sign: 1 | -1): number {
  return events.filter((e) => now - e.at < periodMs && Math.sign(e.replicas) === sign).reduce((n, e) => n + Math.abs(e.replicas), 0);
}

function scaleUpLimit(current: number, events: readonly Timed[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  const limits = rules.policies.map((p) => {
    const start = current - changedWithin(events, p.periodMs, now, 1);
    return p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === "Min" ? Math.min(...limits) : Math.max(...limits);
}

function scaleDownLimit(current: number, events: readonly Timed[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  const limits = rules.policies.map((p) => {
    const start = current + changedWithin(events, p.periodMs, now, -1);
    return p.type === "Pods" ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  // "Max" means the policy allowing the largest change, i.e. the lowest floor.
  return rules.selectPolicy === "Min" ? Math.max(...limits) : Math.min(...limits);
}

function pruneEvents(events: Timed[], spec: ScaleSpec, now: number): Timed[] {
  const longest = Math.max(0, ...spec.up.policies.map((p) => p.periodMs), ...spec.down.policies.map((p) => p.periodMs));
  return events.filter((e) => now - e.at < longest);
}
