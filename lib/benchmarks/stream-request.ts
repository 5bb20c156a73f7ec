import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import type { RequestRecord } from "./measure";

/**
 * One streaming completion over node:http, with no per-token allocations beyond the gap: the
 * SSE stream is scanned for content without JSON.parse (only the final `usage` chunk is parsed),
 * and every chunk read gets one clock reading. This is what lets one event loop carry hundreds
 * of streams with sub-millisecond scheduling delay.
 */
export interface StreamTarget {
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  contentMarker: string;
  timeoutMs: number;
}

export function streamTarget(baseUrl: string, api: "chat" | "completions", apiKey: string | undefined, timeoutMs: number, maxSockets: number): StreamTarget {
  const url = new URL(api === "chat" ? "v1/chat/completions" : "v1/completions", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  const Agent = url.protocol === "https:" ? https.Agent : http.Agent;
  return {
    url,
    headers: { "content-type": "application/json", accept: "text/event-stream", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    agent: new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
    contentMarker: api === "chat" ? '"content":"' : '"text":"',
    timeoutMs,
  };
}

/** True when the event carries generated text (a non-empty content/text string). */
function hasContent(event: string, marker: string): boolean {
  const at = event.indexOf(marker);
  return at >= 0 && event.charCodeAt(at + marker.length) !== 34; // not an empty string
}

const MAX_ERROR_BODY = 500;

export function streamRequest(target: StreamTarget, body: string, intendedMs: number, signal: AbortSignal, done: (record: RequestRecord) => void): void {
  const sentMs = performance.now();
  const record: RequestRecord = { intendedMs, sentMs, firstTokenMs: null, endMs: sentMs, itlsMs: [], promptTokens: null, outputTokens: null, error: null };
  const itls = record.itlsMs as number[];
  let last = 0;
  let finished = false;
  let sawDone = false;
  const finish = (error: string | null) => {
    if (finished) return;
    finished = true;
    signal.removeEventListener("abort", onAbort);
    record.endMs = performance.now();
    record.error = error ?? (sawDone ? null : "stream ended before [DONE]");
    if (record.error === null && record.outputTokens === null) record.error = "no usage in the stream (stream_options.include_usage unsupported?)";
    done(record);
  };
  const onEvent = (event: string, t: number) => {
    const data = event.startsWith("data: ") ? event.slice(6) : event.startsWith("data:") ? event.slice(5) : null;
    if (data === null) return;
    if (data === "[DONE]") {
      sawDone = true;
      return;
    }
    if (hasContent(data, target.contentMarker)) {
      if (record.firstTokenMs === null) record.firstTokenMs = t;
      else itls.push(t - last);
      last = t;
    }
    if (data.includes('"usage":{')) {
      const usage = (JSON.parse(data) as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
      if (typeof usage?.prompt_tokens === "number") record.promptTokens = usage.prompt_tokens;
      if (typeof usage?.completion_tokens === "number") record.outputTokens = usage.completion_tokens;
    } else if (data.startsWith('{"error"')) {
      finish(`stream error: ${data.slice(0, MAX_ERROR_BODY)}`);
    }
  };

  const req = (target.url.protocol === "https:" ? https : http).request(target.url, {
    method: "POST",
    agent: target.agent,
    headers: { ...target.headers, "content-length": String(Buffer.byteLength(body)) },
    timeout: target.timeoutMs,
  });
  // Cancellation answers at once, whatever state the socket is in.
  const onAbort = () => {
    finish("cancelled");
    req.destroy();
  };
  if (signal.aborted) return onAbort();
  signal.addEventListener("abort", onAbort, { once: true });
  req.on("timeout", () => req.destroy(new Error(`timed out after ${target.timeoutMs} ms`)));
  req.on("error", (err) => finish(signal.aborted ? "cancelled" : err.message));
  req.on("response", (res) => {
    res.setEncoding("utf8");
    if (res.statusCode !== 200) {
      let text = "";
      res.on("data", (s: string) => (text.length < MAX_ERROR_BODY ? (text += s) : undefined));
      res.on("end", () => finish(`HTTP ${res.statusCode}: ${text.slice(0, MAX_ERROR_BODY)}`));
      res.on("error", (err) => finish(err.message));
      return;
    }
    let buffered = "";
    res.on("data", (s: string) => {
      const t = performance.now();
      buffered += s;
      let end: number;
      while (!finished && (end = buffered.indexOf("\n\n")) >= 0) {
        const event = buffered.slice(0, end).replace(/^\r?\n+/, "").replace(/\r$/, "");
        buffered = buffered.slice(end + 2);
        try {
          onEvent(event, t);
        } catch (err) {
          finish(`bad stream chunk: ${(err as Error).message}`);
        }
      }
      if (finished) res.destroy();
    });
    res.on("end", () => finish(null));
    res.on("error", (err) => finish(signal.aborted ? "cancelled" : err.message));
    res.on("close", () => finish(signal.aborted ? "cancelled" : "connection closed"));
  });
  req.end(body);
}
