import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { FinishedRequest } from "./engine";
import { streamChat } from "./load-client";
import { ModelServer, type ModelServerSnapshot } from "./model-server";
import { profileFor, SERVING_PROFILES, stepDurationMs, type ServingProfile } from "./profiles";
import { createReplicaServer } from "./replica-server";

const QWEN = "Qwen/Qwen2.5-0.5B-Instruct";

/** A toy replica: fast 2 ms steps, a tiny KV cache, no API-server delay. */
function tinyProfile(overrides: Partial<ServingProfile>): ServingProfile {
  return {
    ...profileFor(QWEN, "L4", 1),
    stepBaseMs: 2,
    decodePerSeqMs: 0,
    kvReadPerTokenMs: 0,
    prefillPerTokenMs: 0,
    frontendMs: 0,
    ...overrides,
  };
}

/** 44 words → 50 prompt tokens with the chat template. */
const prompt = (i: number) => [`r${i}`, ...Array.from({ length: 43 }, () => "word")].join(" ");

async function drain(pieces: AsyncGenerator<string>): Promise<number> {
  let n = 0;
  for await (const _ of pieces) n++;
  return n;
}

describe("continuous-batching engine", () => {
  it("queues requests when KV blocks run out and preempts the newest when decodes outgrow the cache", async () => {
    // 20 blocks × 16 = 320 tokens: four 50-token prompts fit (4 blocks each), their growth does not.
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 300, profile: tinyProfile({ numGpuBlocks: 20, kvCacheTokens: 320 }) });
    const finished: FinishedRequest[] = [];
    server.onRequestFinished((r) => finished.push(r));
    const samples: ModelServerSnapshot[] = [];
    const sampler = setInterval(() => samples.push(server.snapshot()), 1);
    const runs = Array.from({ length: 6 }, (_, i) => server.start({ messageTexts: [prompt(i)], maxTokens: 100, ignoreEos: true }));
    const counts = await Promise.all(runs.map((g) => drain(g.pieces)));
    clearInterval(sampler);

    expect(counts).toEqual([100, 100, 100, 100, 100, 100]);
    expect(Math.max(...samples.map((s) => s.waiting))).toBeGreaterThan(0);
    expect(Math.max(...samples.map((s) => s.kvCacheUsage))).toBeLessThanOrEqual(1);
    const snapshot = server.snapshot();
    expect(snapshot.preemptions).toBeGreaterThan(0);
    expect(finished.reduce((sum, r) => sum + r.preemptions, 0)).toBe(snapshot.preemptions);
    expect(snapshot).toMatchObject({ running: 0, waiting: 0, kvCacheUsage: 0, requestsFinished: 6, generationTokens: 600 });
    // Recomputed prompts are not counted twice, as in vLLM.
    expect(snapshot.promptTokens).toBe(6 * 50);
    expect(server.metricsText()).toMatch(new RegExp(`^vllm:num_preemptions_total\\{[^}]*\\} ${snapshot.preemptions}\\.0$`, "m"));
  });

  it("runs at most max-num-seqs requests and queues the rest", async () => {
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 4096, profile: tinyProfile({ maxNumSeqs: 2 }) });
    const runs = Array.from({ length: 5 }, (_, i) => server.start({ messageTexts: [prompt(i)], maxTokens: 20, ignoreEos: true }));
    const iterators = runs.map((g) => g.pieces[Symbol.asyncIterator]());
    await iterators[0]!.next();
    expect(server.snapshot()).toMatchObject({ running: 2, waiting: 3 });
    await Promise.all(runs.map((g, i) => drain(i === 0 ? iterators[0]! : g.pieces)));
    expect(server.snapshot()).toMatchObject({ running: 0, waiting: 0, requestsFinished: 5 });
  });

  it("frees the slot and KV blocks of an aborted request and counts it as abort", async () => {
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 4096, profile: tinyProfile({ maxNumSeqs: 1 }) });
    const abort = new AbortController();
    const first = server.start({ messageTexts: [prompt(1)], maxTokens: 1000, ignoreEos: true }, abort.signal);
    const second = server.start({ messageTexts: [prompt(2)], maxTokens: 5, ignoreEos: true });
    const it1 = first.pieces[Symbol.asyncIterator]();
    await it1.next();
    expect(server.snapshot()).toMatchObject({ running: 1, waiting: 1 });
    const usedByFirst = server.snapshot().kvCacheUsage;
    expect(usedByFirst).toBeGreaterThan(0);
    abort.abort();
    expect(server.snapshot()).toMatchObject({ running: 0, waiting: 1, kvCacheUsage: 0 });
    expect(await drain(second.pieces)).toBe(5);
    expect(server.metricsText()).toMatch(/^vllm:request_success_total\{[^}]*finished_reason="abort"\} 1\.0$/m);
    expect((await it1.next()).done).toBe(true);
  });

  it("goes idle when empty (GPU busy decays to zero)", async () => {
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 4096, profile: tinyProfile({}) });
    await drain(server.start({ messageTexts: [prompt(1)], maxTokens: 50, ignoreEos: true }).pieces);
    expect(server.snapshot().gpuBusy).toBeGreaterThan(0.05);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(server.snapshot().gpuBusy).toBe(0);
  });

  it("carries 256 concurrent streams over HTTP at the profile's pace", async () => {
    const profile = profileFor(QWEN, "L4", 1);
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 32768, profile });
    const http = createReplicaServer(server);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 256 }, (_, i) =>
          streamChat(url, { model: QWEN, messages: [{ role: "user", content: prompt(i) }], max_tokens: 64, ignore_eos: true }),
        ),
      );
      const elapsed = performance.now() - started;
      expect(results.every((r) => r.completed && r.tokenTimesMs.length === 64)).toBe(true);
      // Lower bound: prefill of 256 × 50 tokens in 2048-token steps, then 63 decode steps of 256.
      const decodeStep = stepDurationMs(profile, { decodeSeqs: 256, prefillTokens: 0, contextTokens: 256 * 82 });
      const ideal = 7 * stepDurationMs(profile, { decodeSeqs: 0, prefillTokens: 2048, contextTokens: 0 }) + 63 * decodeStep;
      console.info(`[engine] 256 streams × 64 tokens in ${elapsed.toFixed(0)} ms (model lower bound ${ideal.toFixed(0)} ms)`);
      expect(elapsed).toBeGreaterThan(ideal * 0.9);
      // The event loop keeps up: within 50% of the physics, not dominated by JS overhead.
      expect(elapsed).toBeLessThan(ideal * 1.5);
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe("serving profiles", () => {
  it("sizes the Qwen 0.5B KV cache on one L4 from memory, weights and the KV cost of a token", () => {
    const p = profileFor(QWEN, "L4", 1);
    // (24 GB × 0.90 − 0.99 GB weights − runtime/activation headroom) / 12,288 bytes per token.
    expect(p.kvCacheTokens).toBeGreaterThan(1_400_000);
    expect(p.kvCacheTokens).toBeLessThan(1_700_000);
    expect(p).toMatchObject({ blockSize: 16, maxNumSeqs: 256, maxNumBatchedTokens: 2048 });
  });

  it("scales: bigger models are slower, faster GPUs faster, and the 70B needs four big GPUs", () => {
    const step = (model: string, gpu: string, gpus: number) =>
      stepDurationMs(profileFor(model, gpu, gpus), { decodeSeqs: 32, prefillTokens: 0, contextTokens: 32 * 500 });
    const LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct";
    const LLAMA70 = "meta-llama/Llama-3.1-70B-Instruct";
    expect(step(LLAMA8, "L4", 1)).toBeGreaterThan(step(QWEN, "L4", 1) * 5);
    expect(step(LLAMA8, "L4", 1)).toBeGreaterThan(step(LLAMA8, "A100-80GB", 1));
    expect(step(LLAMA8, "A100-80GB", 1)).toBeGreaterThan(step(LLAMA8, "H100-80GB", 1));
    expect(step(LLAMA70, "A100-80GB", 4)).toBeGreaterThan(step(LLAMA70, "H100-80GB", 4));
    expect(() => profileFor(LLAMA70, "A100-80GB", 2)).toThrow();
    expect(() => profileFor(LLAMA70, "L4", 8)).toThrow();
    expect(profileFor(LLAMA70, "H100-80GB", 4).maxNumSeqs).toBe(128);
  });

  it("refuses unknown models and shapes", () => {
    expect(() => profileFor("gpt-4", "L4", 1)).toThrow(/No serving profile/);
    expect(() => profileFor(QWEN, "T4", 1)).toThrow();
    expect(() => profileFor(QWEN, "L4", 3)).toThrow();
    expect(SERVING_PROFILES.every((p) => p.numGpuBlocks > 0 && p.stepBaseMs > 0)).toBe(true);
  });
});
