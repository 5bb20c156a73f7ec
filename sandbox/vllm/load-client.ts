import { performance } from "node:perf_hooks";

/**
 * A closed-loop streaming client, like `vllm bench serve --max-concurrency N` with an infinite
 * request rate: N workers, each sending its next request as soon as the previous one ends.
 * Times are measured on the client, as a benchmark would see them.
 */

export interface StreamResult {
  startMs: number;
  /** First chunk that carried generated text. */
  firstTokenMs: number | undefined;
  endMs: number;
  /** Arrival times of the content chunks (one per token). */
  tokenTimesMs: number[];
  completed: boolean;
}

export interface ClosedLoopOptions {
  url: string;
  concurrency: number;
  /** Workers stop sending after this, and in-flight streams are cut at `deadlineMs`. */
  durationMs: number;
  /** Request body for a worker's n-th request. */
  body(worker: number, n: number): Record<string, unknown>;
}

const now = () => performance.now();

/** One streaming chat completion; `signal` cuts it short (the server sees the client go away). */
export async function streamChat(url: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<StreamResult> {
  const result: StreamResult = { startMs: now(), firstTokenMs: undefined, endMs: 0, tokenTimesMs: [], completed: false };
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, stream: true }),
      signal,
    });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffered = "";
    const reader = res.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffered += decoder.decode(read.value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (event === "data: [DONE]") result.completed = true;
        // Cheap check instead of JSON.parse: this runs thousands of times a second.
        else if (event.includes('"content":"') && !event.includes('"content":""')) {
          const t = now();
          result.firstTokenMs ??= t;
          result.tokenTimesMs.push(t);
        }
      }
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
  result.endMs = now();
  return result;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<{ results: StreamResult[]; startMs: number; endMs: number }> {
  const startMs = now();
  const deadline = startMs + options.durationMs;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), options.durationMs);
  const results: StreamResult[] = [];
  const worker = async (w: number) => {
    for (let n = 0; now() < deadline && !stop.signal.aborted; n++) {
      results.push(await streamChat(options.url, options.body(w, n), stop.signal));
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  } finally {
    clearTimeout(timer);
  }
  return { results, startMs, endMs: now() };
}
