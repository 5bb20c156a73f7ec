import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { checkLimits, runnerConfigSchema, type RunnerConfig, type RunnerConfigInput, type RunnerLimits } from "./config";
import { promptText, syntheticChat, type WorkloadItem } from "./datasets/synthetic";
import { measureOverall, measureStep, type MeasuredStep, type RequestRecord } from "./measure";
import type { StepResult } from "./model";
import { poissonArrivals, seededRandom } from "./rng";
import { percentileSorted, sortedCopy } from "./stats";
import { streamRequest, streamTarget, type StreamTarget } from "./stream-request";

/**
 * The benchmark runner: a concurrency sweep (closed loop, like `vllm bench serve
 * --max-concurrency`) or a request-rate sweep (open loop, Poisson arrivals), all on one event
 * loop with no per-token timers. Runs in the worker or the CLI, never in a request handler.
 */
export interface Progress {
  stepIndex: number;
  stepCount: number;
  load: number;
  done: number;
  /** Requests planned for the step; null for a duration step (see elapsed/planned ms). */
  total: number | null;
  elapsedMs: number;
  plannedMs: number | null;
  ttftP50Ms: number | null;
  outputTokensPerS: number | null;
}

export interface RunOptions {
  apiKey?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** At most this often; default 500 ms (the portal stores progress ≤ 2×/s). */
  progressIntervalMs?: number;
  /** Called after each step (e.g. to store it) before the next starts. */
  onStep?: (step: MeasuredStep, records: readonly RequestRecord[]) => void | Promise<void>;
}

export type RunStatus = "succeeded" | "cancelled" | "failed";

export interface RunOutcome {
  status: RunStatus;
  error: string | null;
  steps: MeasuredStep[];
  overall: StepResult | null;
  startedAtMs: number;
  endedAtMs: number;
}

const SPIN_MARGIN_MS = 1.5;

interface StepPlan {
  index: number;
  load: number;
  warmupCount: number | null;
  count: number | null;
  warmupMs: number;
  durationMs: number | null;
}

class Workload {
  private next = 0;
  private readonly items: readonly WorkloadItem[];
  constructor(private readonly config: RunnerConfig) {
    const lengths = config.lengths;
    this.items = lengths.kind === "dataset" ? syntheticChat() : [];
    if (lengths.kind === "dataset") this.next = Math.floor(seededRandom(config.seed)() * this.items.length);
  }

  /** The request body of the next request (distinct prompts so prefix caching does not flatter TTFT). */
  body(): string {
    const n = this.next++;
    const { config } = this;
    const item = config.lengths.kind === "fixed"
      ? { prompt: promptText(config.lengths.promptTokens, n), maxTokens: config.lengths.outputTokens }
      : this.items[n % this.items.length]!;
    const common = {
      model: config.model,
      max_tokens: item.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(config.ignoreEos ? { ignore_eos: true } : {}),
    };
    return JSON.stringify(config.api === "chat" ? { ...common, messages: [{ role: "user", content: item.prompt }] } : { ...common, prompt: item.prompt });
  }
}

export async function runBenchmark(input: RunnerConfigInput, limits: RunnerLimits, options: RunOptions = {}): Promise<RunOutcome> {
  const config = runnerConfigSchema.parse(input);
  checkLimits(config, limits);
  const maxInFlight = Math.min(limits.maxConcurrency, config.sweep.kind === "concurrency" ? Math.max(...config.sweep.levels) : limits.maxConcurrency);
  const target = streamTarget(config.baseUrl, config.api, options.apiKey, config.requestTimeoutMs, maxInFlight);
  const stop = new AbortController();
  // Every in-flight request listens on this one signal; hundreds are expected, not a leak.
  setMaxListeners(0, stop.signal);
  let stopReason: "cancelled" | "limit" | null = null;
  const onAbort = () => {
    stopReason ??= "cancelled";
    stop.abort();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const deadline = setTimeout(() => {
    stopReason ??= "limit";
    stop.abort();
  }, limits.maxDurationMs);

  const startedAtMs = Date.now();
  const workload = new Workload(config);
  const random = seededRandom(config.seed);
  const steps: MeasuredStep[] = [];
  const allRecords: RequestRecord[][] = [];
  try {
    for (const [index, load] of config.sweep.levels.entries()) {
      if (stop.signal.aborted) break;
      const plan: StepPlan = {
        index,
        load,
        warmupCount: "requests" in config.warmup ? config.warmup.requests : null,
        count: "requests" in config.step ? config.step.requests : null,
        warmupMs: "durationMs" in config.warmup ? config.warmup.durationMs : 0,
        durationMs: "durationMs" in config.step ? config.step.durationMs : null,
      };
      const runner = new StepRunner(plan, config.sweep.levels.length, target, workload, stop.signal, maxInFlight, options);
      const records = config.sweep.kind === "concurrency" ? await runner.closedLoop() : await runner.openLoop(random);
      if (stop.signal.aborted) break; // a cut-short step would report a load it never sustained
      const measured = measureStep(records, {
        index, loadKind: config.sweep.kind, load, slo: config.slo, epochOffsetMs: performance.timeOrigin,
      });
      steps.push(measured);
      allRecords.push(records);
      await options.onStep?.(measured, records);
    }
  } catch (err) {
    return finish("failed", (err as Error).message);
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onAbort);
    target.agent.destroy();
  }
  if (stopReason === "cancelled") return finish("cancelled", "cancelled");
  if (stopReason === "limit") return finish("failed", `stopped at the maximum duration of ${Math.round(limits.maxDurationMs / 1000)} s`);
  return finish("succeeded", null);

  function finish(status: RunStatus, error: string | null): RunOutcome {
    const overall = allRecords.length ? measureOverall(allRecords, { loadKind: config.sweep.kind, slo: config.slo, epochOffsetMs: performance.timeOrigin }) : null;
    return { status, error, steps, overall, startedAtMs, endedAtMs: Date.now() };
  }
}

/** One step: sends, collects the measured records, reports progress. */
class StepRunner {
  private readonly records: RequestRecord[] = [];
  private inFlight = 0;
  private sent = 0;
  private startMs = 0;
  private measureFromMs = 0;
  private outputTokens = 0;
  private ttfts: number[] = [];

  constructor(
    private readonly plan: StepPlan,
    private readonly stepCount: number,
    private readonly target: StreamTarget,
    private readonly workload: Workload,
    private readonly signal: AbortSignal,
    private readonly maxInFlight: number,
    private readonly options: RunOptions,
  ) {}

  private isWarmup(sequence: number, intendedMs: number): boolean {
    return this.plan.warmupCount !== null ? sequence < this.plan.warmupCount : intendedMs < this.measureFromMs;
  }

  private send(intendedMs: number, after: () => void): void {
    const sequence = this.sent++;
    const warm = this.isWarmup(sequence, intendedMs);
    this.inFlight++;
    streamRequest(this.target, this.workload.body(), intendedMs, this.signal, (record) => {
      this.inFlight--;
      if (!warm) {
        this.records.push(record);
        if (record.error === null) {
          this.outputTokens += record.outputTokens ?? 0;
          if (record.firstTokenMs !== null) this.ttfts.push(record.firstTokenMs - record.intendedMs);
        }
      }
      after();
    });
  }

  private progressTimer(): () => void {
    const report = this.options.onProgress;
    if (!report) return () => undefined;
    const emit = () => {
      const now = performance.now();
      const total = this.plan.count;
      const measuredMs = now - this.measureFromMs;
      report({
        stepIndex: this.plan.index,
        stepCount: this.stepCount,
        load: this.plan.load,
        done: this.records.length,
        total,
        elapsedMs: now - this.startMs,
        plannedMs: this.plan.durationMs === null ? null : this.plan.durationMs + this.plan.warmupMs,
        ttftP50Ms: percentileSorted(sortedCopy(this.ttfts), 50),
        outputTokensPerS: measuredMs > 0 ? this.outputTokens / (measuredMs / 1000) : null,
      });
    };
    const timer = setInterval(emit, Math.max(250, this.options.progressIntervalMs ?? 500));
    timer.unref();
    return () => {
      clearInterval(timer);
      emit();
    };
  }

  /** N workers, each sending its next request when its previous one ends. */
  closedLoop(): Promise<RequestRecord[]> {
    const concurrency = this.plan.load;
    this.startMs = performance.now();
    this.measureFromMs = this.startMs + this.plan.warmupMs;
    const endMs = this.plan.durationMs === null ? Infinity : this.measureFromMs + this.plan.durationMs;
    const planned = this.plan.count === null ? Infinity : this.plan.count + (this.plan.warmupCount ?? 0);
    const stopProgress = this.progressTimer();
    return new Promise((resolve) => {
      const next = () => {
        // The slot freed now: that instant is the intended send time of the next request.
        const now = performance.now();
        if (!this.signal.aborted && this.sent < planned && now < endMs) this.send(now, next);
        else if (this.inFlight === 0) {
          stopProgress();
          resolve(this.records);
        }
      };
      for (let i = 0; i < concurrency && i < planned; i++) this.send(performance.now(), next);
      if (this.inFlight === 0) next();
    });
  }

  /** Poisson arrivals; latency counts from the scheduled time, even if the send was late. */
  openLoop(random: () => number): Promise<RequestRecord[]> {
    const rate = this.plan.load;
    const warmCount = this.plan.warmupCount ?? Math.round((rate * this.plan.warmupMs) / 1000);
    const count = this.plan.count ?? Math.max(1, Math.round((rate * (this.plan.durationMs ?? 0)) / 1000));
    const warm = poissonArrivals(warmCount, rate, random);
    const measured = poissonArrivals(count, rate, random);
    const warmSpan = warmCount > 0 ? warm[warmCount - 1]! : 0;
    const times = new Float64Array(warmCount + count);
    times.set(warm, 0);
    for (let i = 0; i < count; i++) times[warmCount + i] = warmSpan + measured[i]!;
    this.startMs = performance.now();
    this.measureFromMs = this.startMs + warmSpan;
    const stopProgress = this.progressTimer();
    return new Promise((resolve) => {
      let i = 0;
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        if (this.inFlight === 0 && (i >= times.length || this.signal.aborted)) {
          if (timer) clearTimeout(timer);
          stopProgress();
          resolve(this.records);
          return true;
        }
        return false;
      };
      const pump = () => {
        timer = undefined;
        if (this.signal.aborted) {
          settle();
          return;
        }
        const now = performance.now();
        while (i < times.length && this.startMs + times[i]! <= now && this.inFlight < this.maxInFlight) {
          this.send(this.startMs + times[i]!, onDone);
          i++;
        }
        if (i >= times.length || this.inFlight >= this.maxInFlight) return; // a completion pumps again
        // Sleep on a timer until just before the next arrival, then yield turn by turn so the
        // send lands within a fraction of a millisecond of its schedule.
        const wait = this.startMs + times[i]! - now;
        if (wait > SPIN_MARGIN_MS) timer = setTimeout(pump, wait - SPIN_MARGIN_MS);
        else setImmediate(pump);
      };
      const onDone = () => {
        if (settle()) return;
        if (this.inFlight === this.maxInFlight - 1 && timer === undefined && i < times.length) pump();
      };
      this.signal.addEventListener("abort", () => settle(), { once: true });
      pump();
    });
  }
}
