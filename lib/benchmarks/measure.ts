import { emptyStep, type LoadKind, type Slo, type StepResult } from "./model";
import { addToHistogram, type LogHistogram, type Sample } from "./samples";
import { distribution, percentileSorted, sortedCopy } from "./stats";

/**
 * What the runner records per request, on one monotonic clock (performance.now() ms).
 * `intendedMs` is when the schedule wanted the request sent; latencies are measured from it, so a
 * runner that falls behind its schedule shows up as latency, not as a lighter load (no
 * coordinated omission).
 */
export interface RequestRecord {
  intendedMs: number;
  sentMs: number;
  /** First chunk that carried generated text. */
  firstTokenMs: number | null;
  endMs: number;
  /** Gaps between consecutive content chunks (one per chunk, whatever its token count). */
  itlsMs: ArrayLike<number>;
  /** From the server's `usage`, never from counting chunks. */
  promptTokens: number | null;
  outputTokens: number | null;
  error: string | null;
}

export interface StepContext {
  index: number;
  loadKind: LoadKind;
  load: number | null;
  slo?: Slo;
  /** Adds performance.now() ms to get epoch ms (performance.timeOrigin). */
  epochOffsetMs: number;
  /** Relative deviation of the achieved from the requested rate that gets flagged. */
  rateTolerance?: number;
}

export interface MeasuredStep {
  result: StepResult;
  samples: Sample[];
  itlHistogram: LogHistogram;
}

const ttftOf = (r: RequestRecord) => (r.firstTokenMs === null ? null : r.firstTokenMs - r.intendedMs);

/** vLLM's TPOT: time per output token after the first; undefined for fewer than 2 tokens. */
export function tpotOf(r: RequestRecord): number | null {
  if (r.firstTokenMs === null || r.outputTokens === null || r.outputTokens < 2) return null;
  return (r.endMs - r.firstTokenMs) / (r.outputTokens - 1);
}

/** True when the request succeeded and met every SLO that was set. */
export function meetsSlo(r: RequestRecord, slo: Slo): boolean {
  if (r.error !== null) return false;
  const ttft = ttftOf(r);
  if (slo.ttftMs !== undefined && (ttft === null || ttft > slo.ttftMs)) return false;
  const tpot = tpotOf(r);
  if (slo.itlMs !== undefined && tpot !== null && tpot > slo.itlMs) return false;
  return true;
}

/**
 * Summarises one step. Definitions (and how they differ from GuideLLM and AIPerf) are in
 * DEFINITIONS.md; pure, so the same numbers come out for the portal, the CLI and tests.
 */
export function measureStep(records: readonly RequestRecord[], ctx: StepContext): MeasuredStep {
  const result = emptyStep(ctx.index, ctx.loadKind, ctx.load);
  const itlHistogram: LogHistogram = {};
  const samples: Sample[] = [];
  if (records.length === 0) return { result, samples, itlHistogram };

  const ok = records.filter((r) => r.error === null);
  const failed = records.length - ok.length;
  let start = Infinity;
  let end = -Infinity;
  let firstSent = Infinity;
  let lastSent = -Infinity;
  for (const r of records) {
    start = Math.min(start, r.intendedMs);
    end = Math.max(end, r.endMs);
    firstSent = Math.min(firstSent, r.sentMs);
    lastSent = Math.max(lastSent, r.sentMs);
  }
  const durationS = Math.max(end - start, 1e-6) / 1000;

  const itls: number[] = [];
  let inputTokens = 0;
  let outputTokens = 0;
  for (const r of ok) {
    inputTokens += r.promptTokens ?? 0;
    outputTokens += r.outputTokens ?? 0;
    for (let i = 0; i < r.itlsMs.length; i++) {
      itls.push(r.itlsMs[i]!);
      addToHistogram(itlHistogram, r.itlsMs[i]!);
    }
  }
  const delays = sortedCopy(records.map((r) => r.sentMs - r.intendedMs));
  const ttfts = ok.map(ttftOf).filter((v): v is number => v !== null);
  const tpots = ok.map(tpotOf).filter((v): v is number => v !== null);

  result.durationS = durationS;
  result.completed = ok.length;
  result.failed = failed;
  result.inputTokens = inputTokens;
  result.outputTokens = outputTokens;
  result.requestThroughput = ok.length / durationS;
  result.outputThroughput = outputTokens / durationS;
  result.totalThroughput = (inputTokens + outputTokens) / durationS;
  result.errorRate = failed / records.length;
  result.ttft = distribution(ttfts);
  result.itl = distribution(itls);
  result.tpot = distribution(tpots);
  result.e2e = distribution(ok.map((r) => r.endMs - r.intendedMs));
  result.schedulingDelayP50Ms = percentileSorted(delays, 50);
  result.schedulingDelayP99Ms = percentileSorted(delays, 99);
  result.windowStartMs = start + ctx.epochOffsetMs;
  result.windowEndMs = end + ctx.epochOffsetMs;
  if (ctx.slo && (ctx.slo.ttftMs !== undefined || ctx.slo.itlMs !== undefined)) {
    const slo = ctx.slo;
    result.goodput = ok.filter((r) => meetsSlo(r, slo)).length / durationS;
  }
  // Sending rate: arrivals over the span they were sent in (n − 1 gaps between n sends).
  result.achievedRate = records.length > 1 && lastSent > firstSent ? (records.length - 1) / ((lastSent - firstSent) / 1000) : result.requestThroughput;
  if (ctx.loadKind === "rate" && ctx.load !== null && result.achievedRate !== null) {
    if (Math.abs(result.achievedRate / ctx.load - 1) > (ctx.rateTolerance ?? 0.05)) result.flags.push("rate-shortfall");
  }
  if ((result.schedulingDelayP99Ms ?? 0) >= 1) result.flags.push("client-bound");

  for (const r of records) {
    const ttft = ttftOf(r);
    samples.push({
      sendOffsetMs: r.intendedMs - start,
      ttftMs: ttft ?? NaN,
      e2eMs: r.endMs - r.intendedMs,
      promptTokens: r.promptTokens ?? NaN,
      outputTokens: r.outputTokens ?? NaN,
      tpotMs: tpotOf(r) ?? NaN,
      schedulingDelayMs: r.sentMs - r.intendedMs,
      error: r.error === null ? 0 : 1,
    });
  }
  return { result, samples, itlHistogram };
}

/** Overall figures across steps (requests pooled), for the run's headline row. */
export function measureOverall(steps: readonly RequestRecord[][], ctx: Omit<StepContext, "index" | "load">): StepResult {
  const all = steps.flat();
  const { result } = measureStep(all, { ...ctx, index: 0, load: null });
  // Steps run one after another; pooled throughput over the whole span would mix loads.
  result.flags = result.flags.filter((f) => f !== "rate-shortfall");
  return result;
}
