import { z } from "zod";
import { emptyStep, type Distribution, type ImportedRun } from "../model";
import { parseReport } from "./parse";

const num = z.number().finite();
const optNum = num.nullish();

/**
 * `vllm bench serve --save-result` JSON (keys in ../shared/reference/benchmarks/
 * vllm-bench-serve-result.md). Percentile keys depend on `--metric-percentiles`, so only the
 * core counters are required; extra keys (metadata, per-request arrays) pass through.
 */
export const vllmResultSchema = z
  .object({
    date: z.string().optional(),
    backend: z.string().optional(),
    label: z.string().nullish(),
    model_id: z.string().min(1),
    num_prompts: z.number().int().nonnegative().optional(),
    request_rate: z.union([num, z.literal("inf")]).optional(),
    burstiness: optNum,
    max_concurrency: z.number().int().positive().nullish(),
    duration: num.positive(),
    completed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative().optional(),
    total_input_tokens: z.number().int().nonnegative(),
    total_output_tokens: z.number().int().nonnegative(),
    request_throughput: num,
    request_goodput: optNum,
    output_throughput: num,
    total_token_throughput: num,
  })
  .loose();
export type VllmResult = z.infer<typeof vllmResultSchema>;

// Chosen by shape rather than z.union, so that the error names the field and not "invalid union".
const vllmLinesSchema = z.array(vllmResultSchema).min(1);

function dist(r: Record<string, unknown>, metric: string): Distribution {
  const get = (key: string) => (typeof r[key] === "number" ? (r[key] as number) : null);
  return { mean: get(`mean_${metric}_ms`), p50: get(`median_${metric}_ms`), p90: get(`p90_${metric}_ms`), p95: get(`p95_${metric}_ms`), p99: get(`p99_${metric}_ms`) };
}

/** vLLM's `date` is local time without a zone; read it as UTC and say so in the config. */
function parseDate(date: string | undefined): Date | null {
  const m = date?.match(/^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

/** One result per step: a file from `--append-result` (JSON lines) becomes a sweep. */
export function importVllm(data: unknown, name?: string): ImportedRun {
  const results = Array.isArray(data)
    ? parseReport(vllmLinesSchema, data, "vllm bench serve result")
    : [parseReport(vllmResultSchema, data, "vllm bench serve result")];
  const steps = results.map((r, index) => {
    const concurrency = r.max_concurrency ?? null;
    const rate = r.request_rate === undefined || r.request_rate === "inf" ? null : r.request_rate;
    const step = emptyStep(index, concurrency !== null ? "concurrency" : "rate", concurrency ?? rate);
    const failed = r.failed ?? 0;
    Object.assign(step, {
      durationS: r.duration,
      completed: r.completed,
      failed,
      inputTokens: r.total_input_tokens,
      outputTokens: r.total_output_tokens,
      requestThroughput: r.request_throughput,
      outputThroughput: r.output_throughput,
      totalThroughput: r.total_token_throughput,
      goodput: r.request_goodput ?? null,
      errorRate: r.completed + failed > 0 ? failed / (r.completed + failed) : null,
      ttft: dist(r, "ttft"),
      itl: dist(r, "itl"),
      tpot: dist(r, "tpot"),
      e2e: dist(r, "e2el"),
    });
    return step;
  });
  const first = results[0]!;
  return {
    source: "import:vllm",
    name: name ?? first.label ?? `vllm bench serve ${first.model_id}`,
    model: first.model_id,
    config: { tool: "vllm bench serve", backend: first.backend ?? null, num_prompts: first.num_prompts ?? null, burstiness: first.burstiness ?? null, date: first.date ?? null, dateZone: "local time of the benchmark host, read as UTC" },
    steps,
    startedAt: parseDate(first.date),
  };
}
