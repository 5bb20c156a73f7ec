import { z } from "zod";
import { emptyStep, type Distribution, type ImportedRun, type StepResult } from "../model";
import { parseReport, secondsToMs } from "./parse";

/**
 * inference-perf reports (../shared/reference/benchmarks/inference-perf-*.{md,json}): one
 * `stage_N_lifecycle_metrics.json` or `summary_lifecycle_metrics.json` is one step; a bundle
 * `{ "<file name>": <contents>, ... }` of a report directory imports every stage, joined with
 * its `stage_N_prometheus_metrics.json` when present. Latencies there are seconds.
 */
const stat = z.object({ mean: z.number(), median: z.number().optional(), p90: z.number().optional(), p95: z.number().optional(), p99: z.number().optional() }).loose();

export const lifecycleSchema = z
  .object({
    load_summary: z
      .object({
        count: z.number().int().nonnegative(),
        schedule_delay: stat.optional(),
        send_duration: z.number().optional(),
        requested_rate: z.number().optional(),
        achieved_rate: z.number().optional(),
      })
      .loose(),
    successes: z
      .object({
        count: z.number().int().nonnegative(),
        latency: z.object({ request_latency: stat, time_to_first_token: stat, time_per_output_token: stat.optional(), inter_token_latency: stat.optional() }).loose(),
        throughput: z.object({ input_tokens_per_sec: z.number(), output_tokens_per_sec: z.number(), total_tokens_per_sec: z.number(), requests_per_sec: z.number() }).loose(),
        prompt_len: stat.nullish(),
        output_len: stat.nullish(),
      })
      .loose(),
    failures: z.object({ count: z.number().int().nonnegative() }).loose(),
  })
  .loose();

const prometheusSchema = z
  .object({
    successes: z.object({ kv_cache_usage_percentage: stat.optional(), queue_len: z.object({ mean: z.number() }).loose().optional() }).loose(),
  })
  .loose();

const bundleSchema = z.record(z.string().regex(/^(stage_\d+|summary)_(lifecycle|prometheus)_metrics\.json$/, "expected inference-perf report file names"), z.unknown());

const dist = (s: z.infer<typeof stat> | undefined): Distribution => ({
  mean: secondsToMs(s?.mean), p50: secondsToMs(s?.median), p90: secondsToMs(s?.p90), p95: secondsToMs(s?.p95), p99: secondsToMs(s?.p99),
});

function toStep(index: number, data: unknown, prometheus: unknown, file: string): StepResult {
  const r = parseReport(lifecycleSchema, data, `inference-perf ${file}`);
  const step = emptyStep(index, "rate", r.load_summary.requested_rate ?? null);
  const ok = r.successes;
  const durationS = ok.throughput.requests_per_sec > 0 ? ok.count / ok.throughput.requests_per_sec : null;
  const attempted = ok.count + r.failures.count;
  Object.assign(step, {
    achievedRate: r.load_summary.achieved_rate ?? null,
    durationS,
    completed: ok.count,
    failed: r.failures.count,
    inputTokens: ok.prompt_len ? ok.prompt_len.mean * ok.count : null,
    outputTokens: ok.output_len ? ok.output_len.mean * ok.count : null,
    requestThroughput: ok.throughput.requests_per_sec,
    outputThroughput: ok.throughput.output_tokens_per_sec,
    totalThroughput: ok.throughput.total_tokens_per_sec,
    errorRate: attempted > 0 ? r.failures.count / attempted : null,
    ttft: dist(ok.latency.time_to_first_token),
    itl: dist(ok.latency.inter_token_latency),
    tpot: dist(ok.latency.time_per_output_token),
    e2e: dist(ok.latency.request_latency),
    schedulingDelayP50Ms: secondsToMs(r.load_summary.schedule_delay?.median),
    schedulingDelayP99Ms: secondsToMs(r.load_summary.schedule_delay?.p99),
  });
  if (prometheus !== undefined) {
    const p = parseReport(prometheusSchema, prometheus, `inference-perf ${file.replace("lifecycle", "prometheus")}`);
    // inference-perf passes vLLM's kv_cache_usage_perc (a 0..1 fraction) through under this name.
    step.server = { gpuUtilization: null, kvCacheUsage: p.successes.kv_cache_usage_percentage?.mean ?? null, waiting: p.successes.queue_len?.mean ?? null };
  }
  if (step.achievedRate !== null && step.load !== null && Math.abs(step.achievedRate / step.load - 1) > 0.05) step.flags.push("rate-shortfall");
  return step;
}

export function importInferencePerf(data: unknown, name?: string): ImportedRun {
  const isBundle = typeof data === "object" && data !== null && !("successes" in data) && !("load_summary" in data);
  let steps: StepResult[];
  if (isBundle) {
    const files = parseReport(bundleSchema, data, "inference-perf report bundle");
    const stages = Object.keys(files).filter((f) => /^stage_\d+_lifecycle/.test(f)).sort((a, b) => parseInt(a.slice(6)) - parseInt(b.slice(6)));
    const chosen = stages.length ? stages : Object.keys(files).filter((f) => f.startsWith("summary_lifecycle"));
    if (chosen.length === 0) parseReport(lifecycleSchema, undefined, "inference-perf report bundle (no lifecycle metrics file)");
    steps = chosen.map((f, i) => toStep(i, files[f], files[f.replace("lifecycle", "prometheus")], f));
  } else {
    steps = [toStep(0, data, undefined, "lifecycle metrics")];
  }
  return { source: "import:inference-perf", name: name ?? "inference-perf report", model: null, config: { tool: "inference-perf" }, steps, startedAt: null };
}
