import { setMaxListeners } from "node:events";
import { chatBody, type PromptMix, rng } from "./prompts";
import { LoadStats, type LoadWindow } from "./stats";

/**
 * Streaming chat completions through the LiteLLM gateway with N concurrent workers (closed
 * loop), optionally paced to a request rate (then N only caps what is in flight). The worker
 * count can change while running, which is how the background load makes its waves.
 */

export interface LoadTarget {
  litellmUrl: string;
  /** A virtual key of the tenant's team. */
  apiKey: string;
  /** Public model name (LiteLLM model group). */
  model: string;
}

export interface LoadRunOptions extends LoadTarget {
  concurrency: number;
  /** Requests per second; unset = as fast as the workers go. */
  rate?: number;
  promptMix: PromptMix;
  seed?: number;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
}

export interface LoadRun {
  stats: LoadStats;
  setConcurrency(n: number): void;
  /** Stops sending; resolves when in-flight requests ended. Returns the totals. */
  stop(): Promise<LoadWindow>;
}

/** Resolves after `ms` or on abort, and leaves no listener behind either way. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

/** A per-request signal: aborted by `stop` or after `timeoutMs`; `release` detaches it. */
function requestSignal(stop: AbortSignal, timeoutMs: number): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  stop.addEventListener("abort", abort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      stop.removeEventListener("abort", abort);
    },
  };
}

/** One streaming request; returns TTFT and the number of content chunks, or the failure kind. */
export async function streamOnce(target: LoadTarget, body: Record<string, unknown>, signal: AbortSignal): Promise<{ ttftMs: number | undefined; tokens: number } | { error: string }> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(`${target.litellmUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch {
    return { error: signal.aborted ? "aborted" : "network" };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return { error: String(res.status) };
  }
  let ttftMs: number | undefined;
  let tokens = 0;
  let done = false;
  let buffered = "";
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (event.trim() === "data: [DONE]") done = true;
        else if (event.includes('"content":"') && !event.includes('"content":""')) {
          ttftMs ??= performance.now() - started;
          tokens++;
        }
      }
    }
  } catch {
    return { error: signal.aborted ? "aborted" : "stream" };
  }
  return done ? { ttftMs, tokens } : { error: "incomplete" };
}

export function startLoad(options: LoadRunOptions): LoadRun {
  const stats = new LoadStats();
  const stopping = new AbortController();
  // Every worker waits on it at once; hundreds of workers are expected, not a leak.
  setMaxListeners(0, stopping.signal);
  const random = rng(options.seed ?? Date.now());
  let target = Math.max(0, Math.floor(options.concurrency));
  const workers = new Map<number, Promise<void>>();
  let nextStart = performance.now();

  // Pacing: each request takes the next start slot, 1/rate apart.
  async function slot(): Promise<void> {
    if (!options.rate) return;
    const now = performance.now();
    nextStart = Math.max(nextStart + 1000 / options.rate, now);
    await sleep(nextStart - now, stopping.signal);
  }

  async function worker(id: number): Promise<void> {
    while (!stopping.signal.aborted && id < target) {
      await slot();
      if (stopping.signal.aborted || id >= target) break;
      stats.inFlight++;
      const request = requestSignal(stopping.signal, options.requestTimeoutMs ?? 120_000);
      const result = await streamOnce(options, chatBody(options.model, options.promptMix, random), request.signal);
      request.release();
      stats.inFlight--;
      if ("error" in result) {
        if (result.error === "aborted" && stopping.signal.aborted) break;
        stats.failure(result.error);
        // Back off instead of spinning on a rate limit or a down gateway.
        await sleep(result.error === "429" ? 1_000 : 250, stopping.signal);
      } else stats.success(result.ttftMs, result.tokens);
    }
    workers.delete(id);
  }

  function fill(): void {
    for (let id = 0; id < target; id++) if (!workers.has(id)) workers.set(id, worker(id));
  }
  fill();

  return {
    stats,
    setConcurrency(n: number) {
      target = Math.max(0, Math.floor(n));
      if (!stopping.signal.aborted) fill();
    },
    async stop() {
      stopping.abort();
      await Promise.all(workers.values());
      return stats.summary();
    },
  };
}
