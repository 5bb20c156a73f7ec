import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { parseImport } from "./import-file";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "__fixtures__", name), "utf8");
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function validationError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("validation");
    return err as AppError;
  }
  throw new Error("expected a validation error");
}

describe("vllm bench serve import", () => {
  const raw = json("vllm-bench-serve.handmade.json");
  const run = parseImport("vllm", fixture("vllm-bench-serve.handmade.json"));

  it("maps every documented figure to the same number", () => {
    const step = run.steps[0]!;
    expect(run.model).toBe(raw.model_id);
    expect(step.loadKind).toBe("concurrency");
    expect(step.load).toBe(raw.max_concurrency);
    expect(step.ttft).toEqual({ mean: raw.mean_ttft_ms, p50: raw.median_ttft_ms, p90: null, p95: null, p99: raw.p99_ttft_ms });
    expect(step.tpot.p50).toBe(raw.median_tpot_ms);
    expect(step.itl.p99).toBe(raw.p99_itl_ms);
    expect(step.e2e.p50).toBe(raw.median_e2el_ms);
    expect([step.completed, step.failed, step.outputTokens, step.inputTokens]).toEqual([raw.completed, raw.failed, raw.total_output_tokens, raw.total_input_tokens]);
    expect([step.requestThroughput, step.outputThroughput, step.totalThroughput, step.goodput]).toEqual([raw.request_throughput, raw.output_throughput, raw.total_token_throughput, raw.request_goodput]);
    expect(step.errorRate).toBeCloseTo(2 / 320, 10);
    expect(run.startedAt?.toISOString()).toBe("2026-01-15T10:15:00.000Z");
  });

  it("reads --append-result JSON lines as a sweep", () => {
    const a = { ...raw, max_concurrency: null, request_rate: 2 };
    const b = { ...raw, max_concurrency: null, request_rate: 4, median_ttft_ms: 99 };
    const sweep = parseImport("vllm", `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
    expect(sweep.steps.map((s) => [s.loadKind, s.load, s.ttft.p50])).toEqual([["rate", 2, raw.median_ttft_ms], ["rate", 4, 99]]);
  });

  it("names the wrong field", () => {
    const err = validationError(() => parseImport("vllm", JSON.stringify({ ...raw, completed: "318" })));
    expect(err.fields?.completed?.[0]).toMatch(/number/);
    const missing = validationError(() => parseImport("vllm", JSON.stringify({ ...raw, duration: undefined })));
    expect(Object.keys(missing.fields ?? {})).toContain("duration");
    expect(validationError(() => parseImport("vllm", "{not json")).message).toMatch(/not JSON/);
    // A GuideLLM report given as a vLLM result is refused, not half-imported.
    validationError(() => parseImport("vllm", fixture("guidellm-report.handmade.json")));
  });
});

describe("GuideLLM import", () => {
  const raw = json("guidellm-report.handmade.json");
  const run = parseImport("guidellm", fixture("guidellm-report.handmade.json"));

  it("maps strategies to loads and GuideLLM's ITL to our TPOT", () => {
    expect(run.steps.map((s) => [s.loadKind, s.load])).toEqual([["concurrency", 1], ["concurrency", 32], ["rate", 5]]);
    const b = raw.benchmarks[1].metrics;
    const step = run.steps[1]!;
    expect(step.ttft.p50).toBe(b.time_to_first_token_ms.successful.median);
    expect(step.ttft.p99).toBe(b.time_to_first_token_ms.successful.percentiles.p99);
    expect(step.tpot.p50).toBe(b.inter_token_latency_ms.successful.median);
    expect(step.itl.p50).toBeNull();
    expect(step.e2e.p95).toBeCloseTo(b.request_latency.successful.percentiles.p95 * 1000, 9);
    expect(step.outputThroughput).toBe(b.output_tokens_per_second.successful.mean);
    expect([step.completed, step.failed, step.outputTokens]).toEqual([100, 1, 25600]);
    expect(step.flags).toContain("incomplete:2");
    expect(step.windowStartMs).toBe(raw.benchmarks[1].start_time * 1000);
  });

  it("refuses another schema version with the field named", () => {
    const err = validationError(() => parseImport("guidellm", JSON.stringify({ ...raw, metadata: { version: 1 } })));
    expect(Object.keys(err.fields ?? {})).toContain("metadata.version");
    const bad = structuredClone(raw);
    delete bad.benchmarks[2].metrics.time_to_first_token_ms;
    expect(Object.keys(validationError(() => parseImport("guidellm", JSON.stringify(bad))).fields ?? {})).toContain("benchmarks.2.metrics.time_to_first_token_ms");
  });
});

describe("inference-perf import (real report files)", () => {
  it("round-trips a stage file (seconds to ms)", () => {
    const raw = json("inference-perf.stage_0_lifecycle_metrics.json");
    const step = parseImport("inference-perf", fixture("inference-perf.stage_0_lifecycle_metrics.json")).steps[0]!;
    const lat = raw.successes.latency;
    expect(step.load).toBe(raw.load_summary.requested_rate);
    expect(step.achievedRate).toBe(raw.load_summary.achieved_rate);
    expect(step.ttft.p50).toBeCloseTo(lat.time_to_first_token.median * 1000, 9);
    expect(step.ttft.p99).toBeCloseTo(lat.time_to_first_token.p99 * 1000, 9);
    expect(step.itl.p90).toBeCloseTo(lat.inter_token_latency.p90 * 1000, 9);
    expect(step.tpot.mean).toBeCloseTo(lat.time_per_output_token.mean * 1000, 9);
    expect(step.e2e.p95).toBeCloseTo(lat.request_latency.p95 * 1000, 9);
    expect(step.outputThroughput).toBe(raw.successes.throughput.output_tokens_per_sec);
    expect(step.schedulingDelayP99Ms).toBeCloseTo(raw.load_summary.schedule_delay.p99 * 1000, 9);
    expect([step.completed, step.failed]).toEqual([60, 0]);
    expect(step.flags).toEqual([]);
  });

  it("imports a report directory bundle with its Prometheus metrics", () => {
    const bundle = {
      "stage_0_lifecycle_metrics.json": json("inference-perf.stage_0_lifecycle_metrics.json"),
      "stage_0_prometheus_metrics.json": json("inference-perf.stage_0_prometheus_metrics.json"),
    };
    const run = parseImport("inference-perf", JSON.stringify(bundle));
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]!.server).toEqual({ gpuUtilization: null, kvCacheUsage: 0, waiting: 0 });
  });

  it("round-trips the summary file and refuses a Prometheus file given as lifecycle", () => {
    const raw = json("inference-perf.summary_lifecycle_metrics.json");
    const step = parseImport("inference-perf", fixture("inference-perf.summary_lifecycle_metrics.json")).steps[0]!;
    expect(step.completed).toBe(raw.successes.count);
    expect(step.requestThroughput).toBe(raw.successes.throughput.requests_per_sec);
    const err = validationError(() => parseImport("inference-perf", fixture("inference-perf.summary_prometheus_metrics.json")));
    expect(Object.keys(err.fields ?? {}).some((k) => k.startsWith("successes."))).toBe(true);
    validationError(() => parseImport("inference-perf", JSON.stringify({ "evil.json": {} })));
  });
});
