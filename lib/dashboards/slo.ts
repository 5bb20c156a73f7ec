/**
 * Default latency objectives per catalog model: where a model page starts before the user
 * edits the thresholds (kept in the URL as `ttft` and `itl`). Larger models prefill and decode
 * more slowly per token on the same hardware, so one number for all would make the small
 * model's objective meaningless and the large one's unreachable. Targets, not measurements.
 */
export type SloTargets = { ttftMs: number; itlMs: number };

export const DEFAULT_SLO: SloTargets = { ttftMs: 200, itlMs: 50 };

const MODEL_SLO: Record<string, SloTargets> = {
  "qwen2.5-0.5b-instruct": { ttftMs: 150, itlMs: 30 },
  "llama-3.1-8b-instruct": { ttftMs: 200, itlMs: 50 },
  "llama-3.1-70b-instruct": { ttftMs: 500, itlMs: 80 },
};

export const SLO_MIN_MS = 1;
export const SLO_MAX_MS = 60_000;

export function defaultSlo(model: string | null | undefined): SloTargets {
  return (model && Object.hasOwn(MODEL_SLO, model) ? MODEL_SLO[model] : undefined) ?? DEFAULT_SLO;
}

/** A threshold from the URL, or the default when absent or out of bounds (the page never breaks on a bad link). */
export function readSloMs(value: string | null, fallback: number): number {
  if (value === null || !/^\d{1,5}$/.test(value)) return fallback;
  const n = Number(value);
  return n >= SLO_MIN_MS && n <= SLO_MAX_MS ? n : fallback;
}
