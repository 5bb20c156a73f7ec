/**
 * `npm run bench:serve -- …`: a serving benchmark from the command line against any
 * OpenAI-compatible endpoint (LiteLLM, vLLM, the sandbox), with the portal's own runner, so a
 * CLI run and a portal run measure the same way (lib/benchmarks/DEFINITIONS.md). Prints a row per
 * step as it finishes and an overall line; `--save` writes the result as JSON, `--store` records
 * the run in the portal database (source "cli"). Bad arguments: a message and exit code 2.
 */
import { writeFile } from "node:fs/promises";
import { BENCH_SERVE_USAGE, parseBenchServeArgs, UsageError, type BenchServeArgs } from "../lib/benchmarks/cli-args";
import type { MeasuredStep } from "../lib/benchmarks/measure";
import type { Distribution, StepResult } from "../lib/benchmarks/model";
import { runBenchmark, type Progress, type RunOutcome } from "../lib/benchmarks/runner";

let args: BenchServeArgs;
try {
  args = parseBenchServeArgs(process.argv.slice(2), process.env.BENCH_API_KEY);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  if (err.message) console.error(`bench:serve: ${err.message}\n`);
  console.error(BENCH_SERVE_USAGE);
  process.exit(2);
}
const { config } = args;

const f = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const pcts = (d: Distribution) => `${f(d.p50)}/${f(d.p95)}/${f(d.p99)}`;
const COLUMNS: Array<[string, number, (s: StepResult) => string]> = [
  [config.sweep.kind === "rate" ? "rate/s" : "conc", 7, (s) => (s.load === null ? "all" : String(s.load))],
  ["ok", 6, (s) => String(s.completed ?? 0)],
  ["err", 4, (s) => String(s.failed ?? 0)],
  ["req/s", 7, (s) => f(s.requestThroughput, 2)],
  ["out tok/s", 9, (s) => f(s.outputThroughput, 0)],
  ["goodput", 7, (s) => f(s.goodput, 2)],
  ["TTFT p50/95/99 ms", 20, (s) => pcts(s.ttft)],
  ["ITL p50/95/99 ms", 18, (s) => pcts(s.itl)],
  ["TPOT p50/95/99 ms", 18, (s) => pcts(s.tpot)],
  ["E2E p50/95/99 ms", 22, (s) => pcts(s.e2e)],
  ["sched p99", 9, (s) => f(s.schedulingDelayP99Ms, 3)],
  ["flags", 0, (s) => s.flags.join(",")],
];
const line = (cells: string[]) => cells.map((c, i) => (COLUMNS[i]![1] ? c.padStart(COLUMNS[i]![1]) : c)).join("  ");
const rowOf = (s: StepResult) => line(COLUMNS.map(([, , get]) => get(s)));

const slo = config.slo ? ` SLO: TTFT ≤ ${config.slo.ttftMs ?? "—"} ms, TPOT ≤ ${config.slo.itlMs ?? "—"} ms.` : " No SLO: goodput not computed.";
console.log(`bench:serve ${config.model} at ${config.baseUrl} (${config.api}), ${config.sweep.kind} ${config.sweep.levels.join(",")}.${slo}`);
console.log("Latencies in ms from the intended send time; tokens from the server's usage (lib/benchmarks/DEFINITIONS.md).");
console.log(line(COLUMNS.map(([name]) => name)));

const interactive = process.stderr.isTTY === true;
const showProgress = (p: Progress) => {
  if (!interactive) return;
  const of = p.total !== null ? `${p.done}/${p.total}` : `${p.done} done, ${Math.round(p.elapsedMs / 1000)}/${Math.round((p.plannedMs ?? 0) / 1000)} s`;
  process.stderr.write(`\r  step ${p.stepIndex + 1}/${p.stepCount} (${p.load}): ${of}, TTFT p50 ${f(p.ttftP50Ms)} ms, ${f(p.outputTokensPerS, 0)} tok/s   `);
};
const clearProgress = () => interactive && process.stderr.write("\r\x1b[K");

// Ctrl-C cancels the run (what finished is still printed, saved and stored); a second one quits.
const abort = new AbortController();
process.once("SIGINT", () => {
  abort.abort();
  process.once("SIGINT", () => process.exit(130));
});

const stored = args.store ? await openStore(args) : null;
const steps: MeasuredStep[] = [];
// Failed requests are counted in the table; their messages are summarised after it.
const errors = new Map<string, number>();
let outcome: RunOutcome;
try {
  outcome = await runBenchmark(config, { maxDurationMs: args.maxDurationMs, maxConcurrency: config.sweep.kind === "concurrency" ? Math.max(...config.sweep.levels) : 10_000 }, {
    apiKey: args.apiKey,
    signal: abort.signal,
    onProgress: showProgress,
    onStep: async (step, records) => {
      clearProgress();
      for (const r of records) if (r.error !== null) errors.set(r.error, (errors.get(r.error) ?? 0) + 1);
      console.log(rowOf(step.result));
      steps.push(step);
      await stored?.append(step);
    },
  });
} catch (err) {
  clearProgress();
  console.error(`bench:serve: ${(err as Error).message}`);
  await stored?.finish({ status: "failed", error: (err as Error).message, overall: null });
  process.exit(err instanceof Error && err.name === "LimitError" ? 2 : 1);
}
clearProgress();
if (outcome.overall) console.log(`${"-".repeat(60)}\n${rowOf(outcome.overall)}   (overall: requests of all steps pooled)`);
const failedShare = outcome.overall?.errorRate ?? 0;
for (const [message, count] of [...errors].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`error ×${count}: ${message}`);
console.log(`${outcome.status}${outcome.error ? `: ${outcome.error}` : ""} in ${((outcome.endedAtMs - outcome.startedAtMs) / 1000).toFixed(1)} s${failedShare > 0 ? `; ${(failedShare * 100).toFixed(1)}% of requests failed` : ""}`);

if (args.save) {
  const result = {
    tool: "inference-portal bench:serve",
    formatVersion: 1,
    // The key is never written: the file is meant to be shared.
    config,
    status: outcome.status,
    error: outcome.error,
    startedAt: new Date(outcome.startedAtMs).toISOString(),
    endedAt: new Date(outcome.endedAtMs).toISOString(),
    steps: steps.map((s) => s.result),
    overall: outcome.overall,
  };
  await writeFile(args.save, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved ${args.save}`);
}
if (stored) {
  await stored.finish(outcome);
  console.log(`stored as run ${stored.id}`);
}
// A run where nothing succeeded measured nothing: fail, so that scripts notice.
process.exit(outcome.status === "succeeded" && failedShare < 1 ? 0 : 1);

/** The portal database, opened only with --store (embedded PGlite is owned by a running portal). */
async function openStore(a: BenchServeArgs) {
  const { getDb, closeDb } = await import("../lib/db/client");
  const { appendStep, createRun, finishRun } = await import("../lib/benchmarks/store");
  const db = await getDb();
  // No principal: the CLI runs with the operator's own database access, recorded as "system".
  const { id } = await createRun(db, null, {
    name: a.store!.name, source: "cli", status: "running", tenantId: a.store!.tenantId, model: a.config.model,
    config: { runner: a.config, limits: { maxDurationMs: a.maxDurationMs } },
  });
  return {
    id,
    append: (step: MeasuredStep) => appendStep(db, id, step.result, step),
    finish: async (o: Pick<RunOutcome, "status" | "error" | "overall">) => {
      await finishRun(db, id, o);
      await closeDb();
    },
  };
}
