import { z } from "zod";

/**
 * The one result model every source maps to: the portal's own runner, the CLI, and imported
 * `vllm bench serve`, GuideLLM and inference-perf files. Latencies are milliseconds, rates per
 * second. A figure a source did not report is null, never 0: a reference run or an import must
 * not look better (or worse) than what was measured.
 */
export const distributionSchema = z.object({
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});
export type Distribution = z.infer<typeof distributionSchema>;

export const EMPTY_DISTRIBUTION: Distribution = { mean: null, p50: null, p90: null, p95: null, p99: null };

export const LOAD_KINDS = ["concurrency", "rate"] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

export const stepResultSchema = z.object({
  index: z.number().int().nonnegative(),
  loadKind: z.enum(LOAD_KINDS),
  /** Concurrency, or requested requests/s; null for an unbounded rate ("inf"). */
  load: z.number().nullable(),
  achievedRate: z.number().nullable(),
  durationS: z.number().nullable(),
  completed: z.number().int().nonnegative().nullable(),
  failed: z.number().int().nonnegative().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  requestThroughput: z.number().nullable(),
  outputThroughput: z.number().nullable(),
  totalThroughput: z.number().nullable(),
  /** Requests/s meeting the SLO (see DEFINITIONS.md); null when no SLO was set. */
  goodput: z.number().nullable(),
  errorRate: z.number().nullable(),
  ttft: distributionSchema,
  itl: distributionSchema,
  tpot: distributionSchema,
  e2e: distributionSchema,
  schedulingDelayP50Ms: z.number().nullable(),
  schedulingDelayP99Ms: z.number().nullable(),
  /** Server-side window of the step (epoch ms), for Prometheus range queries over the step. */
  windowStartMs: z.number().nullable(),
  windowEndMs: z.number().nullable(),
  /** Server-side signals a source reported itself (inference-perf, the reference run). */
  server: z
    .object({
      gpuUtilization: z.number().nullable(),
      kvCacheUsage: z.number().nullable(),
      waiting: z.number().nullable(),
    })
    .nullable(),
  /** Caveats a reader must see next to the numbers, e.g. "rate-shortfall", "client-bound". */
  flags: z.array(z.string()),
});
export type StepResult = z.infer<typeof stepResultSchema>;

/** An SLO a request must meet to count toward goodput. */
export const sloSchema = z.object({
  ttftMs: z.number().positive().optional(),
  /** Applied to the request's TPOT (its mean inter-token gap), see DEFINITIONS.md. */
  itlMs: z.number().positive().optional(),
});
export type Slo = z.infer<typeof sloSchema>;

/** What an importer returns: enough to store a run without knowing where it came from. */
export type ImportedRun = {
  source: "import:vllm" | "import:guidellm" | "import:inference-perf";
  name: string;
  model: string | null;
  config: Record<string, unknown>;
  steps: StepResult[];
  startedAt: Date | null;
};

export function emptyStep(index: number, loadKind: LoadKind, load: number | null): StepResult {
  return {
    index, loadKind, load, achievedRate: null, durationS: null, completed: 0, failed: 0, inputTokens: null, outputTokens: null,
    requestThroughput: null, outputThroughput: null, totalThroughput: null, goodput: null, errorRate: null,
    ttft: { ...EMPTY_DISTRIBUTION }, itl: { ...EMPTY_DISTRIBUTION }, tpot: { ...EMPTY_DISTRIBUTION }, e2e: { ...EMPTY_DISTRIBUTION },
    schedulingDelayP50Ms: null, schedulingDelayP99Ms: null, windowStartMs: null, windowEndMs: null, server: null, flags: [],
  };
}
