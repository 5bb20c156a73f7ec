import { z } from "zod";
import { emptyStep, type Distribution, type ImportedRun } from "../model";
import { parseReport } from "./parse";

/**
 * GuideLLM `--output kind=json` report (schema version 2; structure in ../shared/reference/
 * benchmarks/guidellm-report-structure.md). Only what we map is validated; the rest passes.
 *
 * Conventions differ: GuideLLM's `inter_token_latency_ms` is the per-request average
 * (latency − TTFT) / (output − 1), which is vLLM's (and our) TPOT, so it lands in `tpot`;
 * GuideLLM's `time_per_output_token_ms` includes the first token and has no counterpart here.
 * Raw chunk gaps (our ITL) are not in the report, so ITL stays null.
 */
const summary = z
  .object({
    mean: z.number(),
    median: z.number(),
    total_sum: z.number().optional(),
    percentiles: z.object({ p90: z.number(), p95: z.number(), p99: z.number() }).loose(),
  })
  .loose();
const statusSummary = z.object({ successful: summary }).loose();
const totals = z.object({ successful: z.number().int().nonnegative(), errored: z.number().int().nonnegative(), incomplete: z.number().int().nonnegative() }).loose();

const benchmarkSchema = z
  .object({
    config: z.object({
      strategy: z.object({ type_: z.string(), rate: z.number().nullish(), streams: z.number().int().nullish(), max_concurrency: z.number().int().nullish() }).loose(),
    }).loose(),
    start_time: z.number().optional(),
    end_time: z.number().optional(),
    duration: z.number().nonnegative().optional(),
    metrics: z
      .object({
        request_totals: totals,
        requests_per_second: statusSummary,
        request_latency: statusSummary,
        time_to_first_token_ms: statusSummary,
        inter_token_latency_ms: statusSummary,
        output_tokens_per_second: statusSummary,
        tokens_per_second: statusSummary,
        prompt_token_count: statusSummary.optional(),
        output_token_count: statusSummary.optional(),
      })
      .loose(),
  })
  .loose();

export const guidellmReportSchema = z
  .object({
    metadata: z.object({ version: z.literal(2), guidellm_version: z.string().optional() }).loose(),
    config: z.record(z.string(), z.unknown()).optional(),
    benchmarks: z.array(benchmarkSchema).min(1),
  })
  .loose();

type Summary = z.infer<typeof summary>;
const dist = (s: Summary, scale = 1): Distribution => ({
  mean: s.mean * scale, p50: s.median * scale, p90: s.percentiles.p90 * scale, p95: s.percentiles.p95 * scale, p99: s.percentiles.p99 * scale,
});

export function importGuidellm(data: unknown, name?: string): ImportedRun {
  const report = parseReport(guidellmReportSchema, data, "GuideLLM report");
  const steps = report.benchmarks.map((b, index) => {
    const s = b.config.strategy;
    // synchronous = one request at a time; concurrent = N streams; constant/poisson = a rate;
    // throughput = everything at once (an unbounded rate).
    const concurrency = s.type_ === "synchronous" ? 1 : s.type_ === "concurrent" ? (s.streams ?? null) : null;
    const step = concurrency !== null ? emptyStep(index, "concurrency", concurrency) : emptyStep(index, "rate", s.rate ?? null);
    const m = b.metrics;
    const attempted = m.request_totals.successful + m.request_totals.errored;
    Object.assign(step, {
      durationS: b.duration ?? null,
      completed: m.request_totals.successful,
      failed: m.request_totals.errored,
      inputTokens: m.prompt_token_count?.successful.total_sum ?? null,
      outputTokens: m.output_token_count?.successful.total_sum ?? null,
      requestThroughput: m.requests_per_second.successful.mean,
      outputThroughput: m.output_tokens_per_second.successful.mean,
      totalThroughput: m.tokens_per_second.successful.mean,
      errorRate: attempted > 0 ? m.request_totals.errored / attempted : null,
      ttft: dist(m.time_to_first_token_ms.successful),
      tpot: dist(m.inter_token_latency_ms.successful),
      e2e: dist(m.request_latency.successful, 1000),
      windowStartMs: b.start_time !== undefined ? b.start_time * 1000 : null,
      windowEndMs: b.end_time !== undefined ? b.end_time * 1000 : null,
    });
    if (m.request_totals.incomplete > 0) step.flags.push(`incomplete:${m.request_totals.incomplete}`);
    return step;
  });
  const first = report.benchmarks[0]!;
  return {
    source: "import:guidellm",
    name: name ?? `GuideLLM ${report.metadata.guidellm_version ?? ""}`.trim(),
    model: null,
    config: { tool: "guidellm", guidellm_version: report.metadata.guidellm_version ?? null, strategies: report.benchmarks.map((b) => b.config.strategy.type_) },
    steps,
    startedAt: first.start_time !== undefined ? new Date(first.start_time * 1000) : null,
  };
}
