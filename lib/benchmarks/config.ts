import { z } from "zod";
import { sloSchema } from "./model";
import { DATASETS } from "./datasets/synthetic";

const positiveInts = z.array(z.number().int().positive()).min(1).max(32);

/** A benchmark's configuration as the portal stores it and the worker runs it (a trust boundary). */
export const runnerConfigSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1).max(200),
    api: z.enum(["chat", "completions"]).default("chat"),
    sweep: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("concurrency"), levels: positiveInts }),
      z.object({ kind: z.literal("rate"), levels: z.array(z.number().positive().max(10_000)).min(1).max(32) }),
    ]),
    /** Per step: a duration, or a request count. */
    step: z.union([
      z.object({ durationMs: z.number().int().positive() }),
      z.object({ requests: z.number().int().positive().max(1_000_000) }),
    ]),
    warmup: z.union([z.object({ durationMs: z.number().int().nonnegative() }), z.object({ requests: z.number().int().nonnegative() })]).default({ requests: 0 }),
    lengths: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("fixed"), promptTokens: z.number().int().positive().max(100_000), outputTokens: z.number().int().positive().max(100_000) }),
      z.object({ kind: z.literal("dataset"), name: z.enum(DATASETS) }),
    ]),
    /** vLLM's `ignore_eos`: generate exactly max_tokens (servers that do not know it ignore it). */
    ignoreEos: z.boolean().default(true),
    seed: z.number().int().default(1),
    slo: sloSchema.optional(),
    requestTimeoutMs: z.number().int().positive().max(600_000).default(120_000),
  })
  .strict();
export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
export type RunnerConfigInput = z.input<typeof runnerConfigSchema>;

/** Bounds set by the caller (per role): a benchmark must not take a shared endpoint down by accident. */
export interface RunnerLimits {
  maxDurationMs: number;
  maxConcurrency: number;
}

export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitError";
  }
}

/** Checks what can be checked before sending anything; the deadline is enforced while running. */
export function checkLimits(config: RunnerConfig, limits: RunnerLimits): void {
  if (config.sweep.kind === "concurrency") {
    const over = config.sweep.levels.find((c) => c > limits.maxConcurrency);
    if (over !== undefined) throw new LimitError(`Concurrency ${over} exceeds the limit of ${limits.maxConcurrency}`);
  }
  if ("durationMs" in config.step) {
    const warm = "durationMs" in config.warmup ? config.warmup.durationMs : 0;
    const planned = config.sweep.levels.length * (config.step.durationMs + warm);
    if (planned > limits.maxDurationMs) throw new LimitError(`Planned ${Math.round(planned / 1000)} s exceeds the limit of ${Math.round(limits.maxDurationMs / 1000)} s`);
  }
}
