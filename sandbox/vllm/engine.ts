import { performance } from "node:perf_hooks";

/**
 * A continuous-batching scheduler in real time, shaped like vLLM V1's: one waiting queue, one
 * running batch, a token budget per step shared by decodes and (chunked) prefills, KV cache in
 * fixed-size blocks, and recompute preemption of the newest request when blocks run out.
 *
 * One timer per step for the whole batch (never one per sequence), and no timer at all when
 * idle: a replica must carry hundreds of streams on a small machine.
 */

export type FinishReason = "stop" | "length" | "abort" | "error";

export interface EngineConfig {
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  blockSize: number;
  /** Infinity for an unbounded cache. */
  numGpuBlocks: number;
  /** API-server time before a request reaches the engine (counted from arrival). */
  frontendMs: number;
  stepMs(step: StepShape): number;
}

export interface StepShape {
  decodeSeqs: number;
  prefillTokens: number;
  /** Tokens of KV the step's sequences attend over (after the step). */
  contextTokens: number;
}

export interface EngineRequestSpec {
  promptTokens: number;
  /** The request's max_tokens (for vLLM's request-parameter histograms). */
  maxTokens: number;
  /** Tokens this request will generate unless aborted. */
  outputTokens: number;
  /** Why it ends when it reaches outputTokens. */
  finishReason: "stop" | "length";
  onToken(): void;
  onFinish(reason: FinishReason): void;
}

/** Ground truth of one request, in epoch milliseconds (sub-ms precision). */
export interface FinishedRequest {
  id: number;
  arrivalMs: number;
  /** When it entered the engine's waiting queue (after the API-server path). */
  queuedMs: number | undefined;
  /** First time it was scheduled. */
  scheduledMs: number | undefined;
  firstTokenMs: number | undefined;
  lastTokenMs: number | undefined;
  finishedMs: number;
  promptTokens: number;
  maxTokens: number;
  generatedTokens: number;
  finishReason: FinishReason;
  preemptions: number;
}

export interface StepRecord {
  startMs: number;
  durationMs: number;
  /** Prompt and generated tokens computed in the step (vLLM's iteration tokens). */
  tokens: number;
  prefillTokens: number;
  decodeSeqs: number;
}

export interface EngineListener {
  /** A token was emitted; `previousTokenMs` is undefined for the first. */
  onToken?(now: number, previousTokenMs: number | undefined, request: FinishedRequest): void;
  onFirstToken?(request: FinishedRequest): void;
  onStep?(step: StepRecord): void;
  onPreemption?(): void;
  onFinished?(request: FinishedRequest): void;
}

const now = () => performance.timeOrigin + performance.now();
// If the event loop was blocked this long past a step's nominal end, restart the clock from
// the present instead of replaying the lost time as a burst of instant steps.
const RESYNC_AFTER_MS = 20;
const BUSY_WINDOW_MS = 1000;

class Sequence {
  computed = 0;
  generated = 0;
  blocks = 0;
  preemptions = 0;
  state: "frontend" | "waiting" | "running" | "done" = "frontend";
  queuedMs: number | undefined;
  scheduledMs: number | undefined;
  firstTokenMs: number | undefined;
  lastTokenMs: number | undefined;
  frontendTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly spec: EngineRequestSpec,
    readonly arrivalMs: number,
  ) {}

  /** Tokens known to the engine: the prompt and everything generated so far. */
  get total(): number {
    return this.spec.promptTokens + this.generated;
  }

  record(finishedMs: number, finishReason: FinishReason): FinishedRequest {
    return {
      id: this.id,
      arrivalMs: this.arrivalMs,
      queuedMs: this.queuedMs,
      scheduledMs: this.scheduledMs,
      firstTokenMs: this.firstTokenMs,
      lastTokenMs: this.lastTokenMs,
      finishedMs,
      promptTokens: this.spec.promptTokens,
      maxTokens: this.spec.maxTokens,
      generatedTokens: this.generated,
      finishReason,
      preemptions: this.preemptions,
    };
  }
}

interface Planned {
  seq: Sequence;
  tokens: number;
}

export interface EngineHandle {
  abort(): void;
}

export class Engine {
  private readonly waiting: Sequence[] = [];
  private readonly running: Sequence[] = [];
  private usedBlocks = 0;
  private nextId = 1;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** Nominal end of the step in flight, or of the last one. */
  private clock = 0;
  private readonly busy: Array<[number, number]> = [];
  private readonly listeners: EngineListener[] = [];

  constructor(readonly config: EngineConfig) {}

  addListener(listener: EngineListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get numRunning(): number {
    return this.running.length;
  }

  get numWaiting(): number {
    return this.waiting.length;
  }

  get kvCacheUsage(): number {
    return Number.isFinite(this.config.numGpuBlocks) ? this.usedBlocks / this.config.numGpuBlocks : 0;
  }

  /** Share of the last second the engine spent inside steps. */
  gpuBusy(at = now()): number {
    const from = at - BUSY_WINDOW_MS;
    let busy = 0;
    for (const [start, end] of this.busy) busy += Math.max(0, Math.min(end, at) - Math.max(start, from));
    return Math.min(1, busy / BUSY_WINDOW_MS);
  }

  submit(spec: EngineRequestSpec): EngineHandle {
    const seq = new Sequence(this.nextId++, spec, now());
    const enqueue = () => {
      seq.frontendTimer = undefined;
      seq.state = "waiting";
      seq.queuedMs = now();
      this.waiting.push(seq);
      this.wake();
    };
    if (this.config.frontendMs > 0) seq.frontendTimer = setTimeout(enqueue, this.config.frontendMs);
    else enqueue();
    return { abort: () => this.abort(seq) };
  }

  private abort(seq: Sequence): void {
    if (seq.state === "done") return;
    if (seq.frontendTimer) clearTimeout(seq.frontendTimer);
    this.remove(seq);
    this.finish(seq, "abort");
  }

  private remove(seq: Sequence): void {
    const list = seq.state === "running" ? this.running : seq.state === "waiting" ? this.waiting : undefined;
    const i = list ? list.indexOf(seq) : -1;
    if (list && i >= 0) list.splice(i, 1);
    this.usedBlocks -= seq.blocks;
    seq.blocks = 0;
  }

  private finish(seq: Sequence, reason: FinishReason): void {
    seq.state = "done";
    const record = seq.record(now(), reason);
    for (const l of this.listeners) l.onFinished?.(record);
    seq.spec.onFinish(reason);
  }

  private wake(): void {
    if (this.timer) return;
    // Let requests that arrive in the same tick join the first step, as vLLM's engine core
    // drains its input queue before it schedules.
    this.timer = setImmediate(() => {
      this.clock = now();
      this.step();
    });
  }

  private blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.config.blockSize);
  }

  private get freeBlocks(): number {
    return this.config.numGpuBlocks - this.usedBlocks;
  }

  /** Recompute preemption: the victim loses its KV and goes back to the front of the queue. */
  private preempt(victim: Sequence): void {
    this.remove(victim);
    victim.computed = 0;
    victim.preemptions++;
    victim.state = "waiting";
    this.waiting.unshift(victim);
    for (const l of this.listeners) l.onPreemption?.();
  }

  private schedule(): Planned[] {
    const plan: Planned[] = [];
    let budget = this.config.maxNumBatchedTokens;
    let preempted = false;
    for (let i = 0; i < this.running.length && budget > 0; i++) {
      const seq = this.running[i]!;
      const tokens = Math.min(seq.total - seq.computed, budget);
      const need = this.blocksFor(seq.computed + tokens) - seq.blocks;
      while (need > this.freeBlocks && this.running.includes(seq)) {
        this.preempt(this.running[this.running.length - 1]!);
        preempted = true;
      }
      if (!this.running.includes(seq)) break;
      seq.blocks += need;
      this.usedBlocks += need;
      plan.push({ seq, tokens });
      budget -= tokens;
    }
    // Like vLLM, admit nothing new in a step that had to preempt: the cache is full.
    while (!preempted && budget > 0 && this.waiting.length > 0 && this.running.length < this.config.maxNumSeqs) {
      const seq = this.waiting[0]!;
      const tokens = Math.min(seq.total - seq.computed, budget);
      const need = this.blocksFor(seq.computed + tokens) - seq.blocks;
      if (need > this.freeBlocks) break;
      this.waiting.shift();
      seq.state = "running";
      seq.scheduledMs ??= now();
      seq.blocks += need;
      this.usedBlocks += need;
      this.running.push(seq);
      plan.push({ seq, tokens });
      budget -= tokens;
    }
    return plan;
  }

  private step(): void {
    this.rejectUnschedulable();
    const plan = this.schedule();
    if (plan.length === 0) {
      this.timer = undefined; // idle: no timer until the next request
      return;
    }
    let decodeSeqs = 0;
    let prefillTokens = 0;
    let contextTokens = 0;
    for (const { seq, tokens } of plan) {
      if (tokens === 1 && seq.generated > 0 && seq.computed === seq.total - 1) decodeSeqs++;
      else prefillTokens += tokens;
      contextTokens += seq.computed + tokens;
    }
    const durationMs = Math.max(0, this.config.stepMs({ decodeSeqs, prefillTokens, contextTokens }));
    const startMs = this.clock;
    const endMs = startMs + durationMs;
    this.busy.push([startMs, endMs]);
    while (this.busy.length > 0 && this.busy[0]![1] < endMs - BUSY_WINDOW_MS) this.busy.shift();
    for (const l of this.listeners) l.onStep?.({ startMs, durationMs, tokens: decodeSeqs + prefillTokens, prefillTokens, decodeSeqs });
    // `timer` stays set while the step completes, so that a request submitted from a token
    // callback does not start a second step loop through wake().
    const finish = () => this.completeStep(plan, endMs);
    const delay = endMs - now();
    this.timer = delay > 0.5 ? setTimeout(finish, delay) : setImmediate(finish);
  }

  private completeStep(plan: Planned[], endMs: number): void {
    const t = now();
    this.clock = t - endMs > RESYNC_AFTER_MS ? t : endMs;
    for (const { seq, tokens } of plan) {
      if (seq.state !== "running") continue; // aborted or preempted during the step
      seq.computed += tokens;
      if (seq.computed < seq.total) continue; // a prefill chunk; more to come
      this.emitToken(seq, t);
    }
    this.step();
  }

  private emitToken(seq: Sequence, t: number): void {
    const previous = seq.lastTokenMs;
    seq.generated++;
    seq.lastTokenMs = t;
    if (seq.firstTokenMs === undefined) {
      seq.firstTokenMs = t;
      const record = seq.record(t, "stop");
      for (const l of this.listeners) l.onFirstToken?.(record);
    }
    if (this.listeners.length > 0) {
      const record = seq.record(t, "stop");
      for (const l of this.listeners) l.onToken?.(t, previous, record);
    }
    seq.spec.onToken();
    if (seq.generated >= seq.spec.outputTokens && seq.state === "running") {
      this.remove(seq);
      this.finish(seq, seq.spec.finishReason);
    }
  }

  /** A request that cannot fit even an empty cache would wait forever; vLLM refuses it. */
  private rejectUnschedulable(): void {
    const head = this.waiting[0];
    if (!head || this.running.length > 0) return;
    if (this.blocksFor(head.total) > this.config.numGpuBlocks) {
      this.remove(head);
      this.finish(head, "error");
      this.rejectUnschedulable();
    }
  }
}
