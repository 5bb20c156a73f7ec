import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClosedLoop, type StreamResult } from "./load-client";
import { ModelServer } from "./model-server";
import { profileFor } from "./profiles";
import { createReplicaServer } from "./replica-server";
import { countPromptTokens } from "./text-gen";

/**
 * Calibration against a measured Qwen2.5-0.5B-Instruct on one L4, driven like
 * `vllm bench serve --max-concurrency N` (closed loop, streaming, ignore_eos):
 * 50-token chat prompts and 960 output tokens. The output length is what puts ~1% of the
 * 1.5M-token KV cache in use with 32 sequences (32 × ~540 tokens on average); shorter replies could not
 * reproduce the measured KV usage on this cache size. TTFT at concurrency 1 does not depend on
 * the output length, so that run uses 64 tokens to stay short.
 *
 * Targets (±20%): TTFT p50 27 ms at c=1 and 135 ms at c=32; 3,773 output tokens/s at c=32;
 * KV usage 0.011 at c=32; no waiting requests; GPU busy 100% under load.
 */

const PROMPT_WORDS = 44; // + 4 template tokens + 2 reply priming = 50 prompt tokens
const WORDS = ["please", "summarize", "the", "incident", "report", "for", "our", "platform", "team", "briefly"];

function prompt(worker: number, n: number): string {
  const words = [`w${worker}`, `n${n}`];
  for (let i = words.length; i < PROMPT_WORDS; i++) words.push(WORDS[(i * 7 + worker + n) % WORDS.length]!);
  return words.join(" ");
}

const within = (actual: number, target: number, tolerance = 0.2) => {
  expect(actual).toBeGreaterThanOrEqual(target * (1 - tolerance));
  expect(actual).toBeLessThanOrEqual(target * (1 + tolerance));
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ttfts = (results: StreamResult[]) => results.filter((r) => r.firstTokenMs !== undefined).map((r) => r.firstTokenMs! - r.startMs);

let httpServer: Server;
let model: ModelServer;
let url: string;
const QWEN = "Qwen/Qwen2.5-0.5B-Instruct";

beforeAll(async () => {
  model = new ModelServer({ servedModelName: QWEN, maxModelLen: 32768, profile: profileFor(QWEN, "L4", 1) });
  httpServer = createReplicaServer(model);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

// Real-time figures: a machine busy with other processes delays timers and the client's own
// request handling (which spreads the batch's arrivals over several steps), so allow a retry.
describe("Qwen2.5-0.5B on 1 × L4 matches the measured figures", { retry: 2 }, () => {
  it("uses 50-token prompts", () => {
    expect(countPromptTokens([prompt(3, 7)])).toBe(50);
  });

  it("concurrency 1: TTFT p50 ≈ 27 ms", async () => {
    const run = await runClosedLoop({
      url,
      concurrency: 1,
      durationMs: 1500,
      body: (w, n) => ({ model: QWEN, messages: [{ role: "user", content: prompt(w, n) }], max_tokens: 64, ignore_eos: true }),
    });
    const completed = run.results.filter((r) => r.completed);
    expect(completed.length).toBeGreaterThanOrEqual(3);
    const p50 = percentile(ttfts(completed), 50);
    console.info(`[calibration] c=1 TTFT p50 ${p50.toFixed(1)} ms over ${completed.length} requests`);
    within(p50, 27);
  });

  it("concurrency 32: TTFT p50 ≈ 135 ms, ≈ 3,773 tok/s, KV ≈ 0.011, nothing waiting, GPU busy", async () => {
    const samples: Array<ReturnType<ModelServer["snapshot"]>> = [];
    const sampler = setInterval(() => samples.push(model.snapshot()), 50);
    const durationMs = 10_000;
    const run = await runClosedLoop({
      url,
      concurrency: 32,
      durationMs,
      body: (w, n) => ({ model: QWEN, messages: [{ role: "user", content: prompt(w, n) }], max_tokens: 960, ignore_eos: true }),
    }).finally(() => clearInterval(sampler));

    // Steady state: skip the first second (the batch filling up) for rates and gauges.
    const from = run.startMs + 1000;
    const to = run.startMs + durationMs;
    const tokens = run.results.flatMap((r) => r.tokenTimesMs).filter((t) => t >= from && t < to).length;
    const tokensPerSecond = tokens / ((to - from) / 1000);
    const steady = samples.slice(Math.ceil(1000 / 50));
    const kv = steady.reduce((sum, s) => sum + s.kvCacheUsage, 0) / steady.length;
    const waiting = steady.map((s) => s.waiting);
    const busy = percentile(steady.map((s) => s.gpuBusy), 50);
    const p50 = percentile(ttfts(run.results), 50);
    console.info(
      `[calibration] c=32 TTFT p50 ${p50.toFixed(1)} ms (${ttfts(run.results).length} requests), ${tokensPerSecond.toFixed(0)} tok/s, ` +
        `KV ${kv.toFixed(4)}, waiting p50 ${percentile(waiting, 50)} max ${Math.max(...waiting)} mean ${(waiting.reduce((a, b) => a + b, 0) / waiting.length).toFixed(3)}, GPU busy p50 ${busy.toFixed(3)}`,
    );
    console.info(`[calibration] ttfts ${ttfts(run.results).map((t) => t.toFixed(0)).join(" ")}`);
    within(p50, 135);
    within(tokensPerSecond, 3773);
    within(kv, 0.011);
    // Requests that arrive during a step wait for its end (a few ms), as in vLLM: rare, brief.
    expect(percentile(waiting, 95)).toBe(0);
    expect(waiting.reduce((a, b) => a + b, 0) / waiting.length).toBeLessThan(0.25);
    // Idle only while a finished batch's clients send their next requests.
    expect(busy).toBeGreaterThanOrEqual(0.95);
    expect(model.snapshot().preemptions).toBe(0);
  }, 30_000);
});
