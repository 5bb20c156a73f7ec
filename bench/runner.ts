/**
 * `npm run bench:runner`: the benchmark runner's own limits on this machine (issue 6).
 *
 * The simulated replica runs in a child process (sandbox/vllm/replica-main.ts) with a
 * high-throughput profile (Qwen2.5-0.5B on one H100: ~1 ms engine steps), so the runner's event
 * loop carries only the client. Per concurrency level:
 *   1. a closed-loop step (N streams, each sending its next request when its previous ends;
 *      N warm-up requests, then 3N measured);
 *   2. an open-loop step at 80% of the rate the closed loop achieved (Poisson arrivals; at 100%
 *      the replica's queue would grow without bound, ρ = 1). In a closed loop the runner's scheduling delay is the few µs
 *      between a slot freeing and its request going out, so the open loop is where a saturated
 *      event loop shows: arrivals due while the loop is busy go out late.
 * Once the replica is the bottleneck (its own CPU), latency grows with N and the open loop at
 * 80% of the throughput has far fewer than N in flight: the in-flight column (Little's law) says
 * what each row measured. A concurrency level is sustained (the criterion) when its closed-loop step has
 * scheduling delay p99 < 1 ms and no errors; the open-loop step at the same load is reported
 * beside it, with its own verdict, because it is the stricter test of one event loop. CPU is the runner process's own (process.cpuUsage), per 1,000 streamed (usage)
 * tokens. Memory: peak RSS and heap while 10,000 requests run at the largest sustained level.
 *
 * Flags: --levels 32,64,128,256,512,1024  --seconds 6 (open-loop steps)  --output-tokens 128  --requests 10000
 * Prints figures; asserts nothing. Numbers depend on what else the machine is doing.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { RunnerConfigInput } from "../lib/benchmarks/config";
import type { StepResult } from "../lib/benchmarks/model";
import { runBenchmark } from "../lib/benchmarks/runner";
import { forkReplica } from "../sandbox/vllm/replica-main";

const MODEL = "Qwen/Qwen2.5-0.5B-Instruct";
const { values } = parseArgs({
  options: {
    levels: { type: "string", default: "32,64,128,256,512,1024" },
    seconds: { type: "string", default: "6" },
    "output-tokens": { type: "string", default: "128" },
    requests: { type: "string", default: "10000" },
  },
});
const levels = values.levels.split(",").map(Number);
const stepMs = Number(values.seconds) * 1000;
const outputTokens = Number(values["output-tokens"]);
const memoryRequests = Number(values.requests);
if (levels.some((l) => !Number.isInteger(l) || l < 1) || !(stepMs > 0) || !(outputTokens > 0) || !(memoryRequests > 0)) {
  console.error("usage: npm run bench:runner -- [--levels 32,64,…] [--seconds 6] [--output-tokens 128] [--requests 10000]");
  process.exit(2);
}
const limits = { maxDurationMs: 3_600_000, maxConcurrency: 100_000 };

interface Measured {
  step: StepResult;
  cpuMsPer1kTokens: number;
  loopDelayP99Ms: number;
  wallS: number;
}

/** One step with the runner's own CPU time and event-loop delay measured around it. */
async function measure(config: RunnerConfigInput): Promise<Measured> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const out = await runBenchmark(config, limits);
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  loop.disable();
  if (out.status !== "succeeded" || !out.steps[0]) throw new Error(`step ${out.status}: ${out.error}`);
  const step = out.steps[0].result;
  // Warm-up requests stream too; their tokens are not in the step, so CPU is per measured token
  // with the warm-up's share included (a slight overestimate, never flattering).
  const tokens = step.outputTokens ?? 0;
  return { step, cpuMsPer1kTokens: ((used.user + used.system) / 1000 / tokens) * 1000, loopDelayP99Ms: loop.percentile(99) / 1e6, wallS };
}

const base = (baseUrl: string) => ({
  baseUrl, model: MODEL, lengths: { kind: "fixed" as const, promptTokens: 32, outputTokens },
  step: { durationMs: stepMs }, warmup: { durationMs: 1000 },
});

const f = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join("  ");

const replica = await forkReplica({ servedModelName: MODEL, profile: { gpuType: "H100-80GB", gpus: 1 } });
try {
  console.log(`runner benchmark: replica (child pid ${replica.child.pid}) Qwen2.5-0.5B on 1 × H100 profile; ${outputTokens} output tokens; ${stepMs / 1000} s steps; Node ${process.version}`);
  const widths = [6, 6, 9, 9, 11, 9, 9, 9, 9, 10, 9, 8, 10];
  console.log(row(["conc", "mode", "in-flight", "req/s", "out tok/s", "sched99", "loop99", "TTFT50", "ITL50", "cpu/1k tok", "cpu %", "errors", "verdict"], widths));
  let largest: number | null = null;
  let largestOpen: number | null = null;
  let failures = 0;
  for (const concurrency of levels) {
    // Counted, not timed: at 1,024 streams one request outlasts a short step. One round of
    // warm-up opens the connections; three rounds are measured.
    const closed = await measure({ ...base(replica.url), step: { requests: 3 * concurrency }, warmup: { requests: concurrency }, sweep: { kind: "concurrency", levels: [concurrency] } });
    const rate = 0.8 * (closed.step.requestThroughput ?? 1);
    const open = await measure({ ...base(replica.url), sweep: { kind: "rate", levels: [Number(rate.toFixed(2))] } });
    const verdicts: boolean[] = [];
    for (const [mode, m] of [["closed", closed], ["rate", open]] as const) {
      const s = m.step;
      const good = (s.schedulingDelayP99Ms ?? Infinity) < 1 && s.failed === 0 && !s.flags.includes("rate-shortfall");
      verdicts.push(good);
      const cpuPct = (m.cpuMsPer1kTokens * (s.outputThroughput ?? 0)) / 1000 / 10;
      // Little's law: mean requests in flight = throughput × mean latency.
      const inFlight = (s.requestThroughput ?? 0) * ((s.e2e.mean ?? 0) / 1000);
      console.log(row([concurrency, mode, f(inFlight, 0), f(s.requestThroughput, 1), f(s.outputThroughput, 0), f(s.schedulingDelayP99Ms, 3), f(m.loopDelayP99Ms, 2), f(s.ttft.p50, 2), f(s.itl.p50, 2), f(m.cpuMsPer1kTokens, 1), f(cpuPct, 0), s.failed ?? 0, good ? "ok" : s.flags.join(",") || "fail"], widths));
    }
    if (verdicts[1] && largestOpen === largest) largestOpen = concurrency;
    if (verdicts[0]) largest = concurrency;
    else if (++failures >= 2) break;
  }
  console.log(`largest concurrency sustained with scheduling delay p99 < 1 ms: ${largest ?? "none"} (target ≥ 256)`);
  console.log(`largest load (as concurrency) held by Poisson arrivals with scheduling delay p99 < 1 ms: ${largestOpen ?? "none"}`);

  const memoryConcurrency = largest ?? levels[0]!;
  const sampler = { rss: 0, heap: 0 };
  const before = process.memoryUsage();
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    sampler.rss = Math.max(sampler.rss, m.rss);
    sampler.heap = Math.max(sampler.heap, m.heapUsed);
  }, 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const out = await runBenchmark({ ...base(replica.url), step: { requests: memoryRequests }, warmup: { requests: 0 }, sweep: { kind: "concurrency", levels: [memoryConcurrency] } }, limits);
  clearInterval(sample);
  const used = process.cpuUsage(cpu);
  const s = out.steps[0]?.result;
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  console.log(
    `${memoryRequests.toLocaleString("en")} requests at concurrency ${memoryConcurrency}: ${out.status} in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `${s?.outputTokens?.toLocaleString("en")} tokens, sched p99 ${f(s?.schedulingDelayP99Ms, 3)} ms, ` +
      `cpu ${f((used.user + used.system) / 1000 / ((s?.outputTokens ?? 1) / 1000), 1)} ms/1k tokens; ` +
      `peak RSS ${mb(sampler.rss)} (start ${mb(before.rss)}), peak heap ${mb(sampler.heap)} (start ${mb(before.heapUsed)})`,
  );
} finally {
  await replica.stop();
}
