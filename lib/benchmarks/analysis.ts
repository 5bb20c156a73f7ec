import type { Db } from "@/lib/db/client";
import type { Slo, StepResult } from "./model";
import type { BenchmarkScope } from "./scope";
import { getRun, type StoredRun } from "./store";

/** 2–4 runs as series for overlays: one point per step, keyed by load. */
export interface CompareSeries {
  runId: string;
  name: string;
  source: string;
  loadKind: string | null;
  points: { load: number | null; ttftP50: number | null; ttftP95: number | null; tpotP50: number | null; itlP50: number | null; e2eP95: number | null; outputThroughput: number | null; requestThroughput: number | null; goodput: number | null }[];
}

export async function compareRuns(db: Db, scope: BenchmarkScope, ids: readonly string[]): Promise<CompareSeries[]> {
  const runs = await Promise.all(ids.slice(0, 4).map((id) => getRun(db, scope, id)));
  return runs.map((run) => ({
    runId: run.id,
    name: run.name,
    source: run.source,
    loadKind: run.steps[0]?.loadKind ?? null,
    points: run.steps.map((s) => ({
      load: s.load, ttftP50: s.ttft.p50, ttftP95: s.ttft.p95, tpotP50: s.tpot.p50, itlP50: s.itl.p50, e2eP95: s.e2e.p95,
      outputThroughput: s.outputThroughput, requestThroughput: s.requestThroughput, goodput: s.goodput,
    })),
  }));
}

export interface Regression {
  load: number;
  metric: "ttft.p95";
  baseline: number;
  current: number;
  /** current / baseline − 1 */
  change: number;
}

export const REGRESSION_THRESHOLD = 0.1;

/** p95 TTFT worse than the baseline by more than 10% at the same load kind and level. */
export function regressions(run: Pick<StoredRun, "steps">, baseline: Pick<StoredRun, "steps">, threshold = REGRESSION_THRESHOLD): Regression[] {
  const out: Regression[] = [];
  for (const step of run.steps) {
    const base = baseline.steps.find((b) => b.loadKind === step.loadKind && b.load !== null && b.load === step.load);
    const current = step.ttft.p95;
    const before = base?.ttft.p95;
    if (step.load === null || current === null || before === null || before === undefined || before <= 0) continue;
    const change = current / before - 1;
    if (change > threshold) out.push({ load: step.load, metric: "ttft.p95", baseline: before, current, change });
  }
  return out;
}

/**
 * Does a step meet the SLO by its percentiles? TTFT p95 and TPOT p95 (our ITL SLO is applied to
 * TPOT, see DEFINITIONS.md); an unset SLO passes, an unmeasured figure fails (unknown ≠ good).
 */
export function stepMeetsSlo(step: StepResult, slo: Slo): boolean {
  if ((step.errorRate ?? 0) > 0.01) return false;
  if (slo.ttftMs !== undefined && (step.ttft.p95 === null || step.ttft.p95 > slo.ttftMs)) return false;
  if (slo.itlMs !== undefined && (step.tpot.p95 === null || step.tpot.p95 > slo.itlMs)) return false;
  return true;
}

export interface CostAtSlo {
  load: number | null;
  outputTokensPerS: number;
  /** Cents per million output tokens. */
  centsPerMillion: number;
}

/**
 * $ per million output tokens at SLO: the deployment's GPU cost per hour ÷ the output token
 * throughput of the highest-load step that still meets the SLO (inference-perf's price/perf
 * definition, restricted to SLO-compliant load). Null when no step meets it.
 */
export function costPerMillionAtSlo(run: Pick<StoredRun, "steps">, gpuHourlyCents: number, slo: Slo): CostAtSlo | null {
  const ok = run.steps
    .filter((s) => s.outputThroughput !== null && s.outputThroughput > 0 && stepMeetsSlo(s, slo))
    .sort((a, b) => (a.load ?? Infinity) - (b.load ?? Infinity));
  const best = ok[ok.length - 1];
  if (!best || best.outputThroughput === null) return null;
  const tokensPerHour = best.outputThroughput * 3600;
  return { load: best.load, outputTokensPerS: best.outputThroughput, centsPerMillion: (gpuHourlyCents / tokensPerHour) * 1e6 };
}
