import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LimitError } from "@/lib/benchmarks/config";
import { startBenchmarkLoop, type QueuedRunConfig } from "@/lib/benchmarks/execute-run";
import { stepResultSchema } from "@/lib/benchmarks/model";
import { createRun } from "@/lib/benchmarks/store";
import { testDatabases } from "../support/databases";
import type { RequestRecord } from "@/lib/benchmarks/measure";
import { runBenchmark } from "@/lib/benchmarks/runner";
import { percentileSorted, sortedCopy } from "@/lib/benchmarks/stats";
import type { FinishedRequest } from "@/sandbox/vllm/engine";
import { ModelServer } from "@/sandbox/vllm/model-server";
import { profileFor } from "@/sandbox/vllm/profiles";
import { createReplicaServer } from "@/sandbox/vllm/replica-server";

const QWEN = "Qwen/Qwen2.5-0.5B-Instruct";
let server: Server;
let model: ModelServer;
let url: string;
const truth: FinishedRequest[] = [];

beforeAll(async () => {
  model = new ModelServer({ servedModelName: QWEN, maxModelLen: 32768, profile: profileFor(QWEN, "L4", 1) });
  model.onRequestFinished((r) => truth.push(r));
  server = createReplicaServer(model);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const limits = { maxDurationMs: 60_000, maxConcurrency: 64 };
const p50 = (v: number[]) => percentileSorted(sortedCopy(v), 50)!;

describe("runner against the simulator's ground truth", { retry: 1 }, () => {
  // In-process only at concurrency 1: at 32 a simulator sharing this event loop makes the client
  // measure the server's HTTP handling waiting behind its own 32 streams (10–20 ms). Concurrency
  // 1 and 32 against a replica in its own process: benchmarks-accuracy.test.ts.
  it.each([1])("TTFT p50 within 2 ms and exact token counts at concurrency %i", async (concurrency) => {
    truth.length = 0;
    let records: readonly RequestRecord[] = [];
    const out = await runBenchmark(
      { baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [concurrency] }, step: { requests: concurrency === 1 ? 30 : 96 }, warmup: { requests: concurrency }, lengths: { kind: "fixed", promptTokens: 44, outputTokens: 64 } },
      limits,
      { onStep: (_, r) => void (records = r) },
    );
    expect(out.status).toBe("succeeded");
    const measured = out.steps[0]!.result;
    // Warm-up requests open the keep-alive connections; the measured ones arrived last.
    const measuredTruth = [...truth].sort((a, b) => a.arrivalMs - b.arrivalMs).slice(-records.length);
    const serverTtft = measuredTruth.map((r) => r.firstTokenMs! - r.arrivalMs);
    expect(truth).toHaveLength(records.length + concurrency);
    expect(Math.abs(measured.ttft.p50! - p50(serverTtft))).toBeLessThan(2);
    expect(records.map((r) => r.outputTokens)).toEqual(records.map(() => 64));
    expect(measured.outputTokens).toBe(measuredTruth.reduce((s, r) => s + r.generatedTokens, 0));
    expect(measured.inputTokens).toBe(measuredTruth.reduce((s, r) => s + r.promptTokens, 0));
    expect(records.every((r) => r.itlsMs.length === 63)).toBe(true);
  });

  it("a rate sweep achieves its rate within 5% or flags it", async () => {
    const out = await runBenchmark(
      { baseUrl: url, model: QWEN, sweep: { kind: "rate", levels: [10, 40] }, step: { requests: 80 }, lengths: { kind: "fixed", promptTokens: 44, outputTokens: 32 }, seed: 7 },
      limits,
    );
    for (const step of out.steps.map((s) => s.result)) {
      const within = Math.abs(step.achievedRate! / step.load! - 1) <= 0.05;
      expect(within || step.flags.includes("rate-shortfall")).toBe(true);
      expect(within).toBe(true);
    }
  });

  it("a sent-too-late request counts its lateness as latency (intended send time)", async () => {
    let records: readonly RequestRecord[] = [];
    await runBenchmark(
      { baseUrl: url, model: QWEN, sweep: { kind: "rate", levels: [50] }, step: { requests: 40 }, lengths: { kind: "fixed", promptTokens: 20, outputTokens: 8 } },
      { maxDurationMs: 30_000, maxConcurrency: 1 },
      { onStep: (_, r) => void (records = r) },
    );
    // One slot at 50 req/s of ~80 ms requests: the schedule falls behind and latency shows it.
    const late = records.filter((r) => r.sentMs - r.intendedMs > 50);
    expect(late.length).toBeGreaterThan(10);
    for (const r of late) expect(r.endMs - r.intendedMs).toBeGreaterThan(r.endMs - r.sentMs);
  });

  it("cancellation stops promptly and limits are enforced", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = Date.now();
    const out = await runBenchmark(
      { baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [8] }, step: { durationMs: 20_000 }, lengths: { kind: "fixed", promptTokens: 20, outputTokens: 512 } },
      limits,
      { signal: abort.signal },
    );
    expect(out.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(runBenchmark({ baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [1, 128] }, step: { requests: 1 }, lengths: { kind: "fixed", promptTokens: 1, outputTokens: 1 } }, limits)).rejects.toBeInstanceOf(LimitError);
    await expect(runBenchmark({ baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [1, 2] }, step: { durationMs: 40_000 }, lengths: { kind: "fixed", promptTokens: 1, outputTokens: 1 } }, limits)).rejects.toBeInstanceOf(LimitError);
    const capped = await runBenchmark({ baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [2] }, step: { requests: 10_000 }, lengths: { kind: "fixed", promptTokens: 10, outputTokens: 256 } }, { maxDurationMs: 500, maxConcurrency: 4 });
    expect(capped.status).toBe("failed");
    expect(capped.error).toMatch(/maximum duration/);
  });

  it("refuses a hostile config before sending anything", async () => {
    await expect(runBenchmark({ baseUrl: "file:///etc/passwd", model: QWEN, sweep: { kind: "concurrency", levels: [1] }, step: { requests: 1 }, lengths: { kind: "fixed", promptTokens: 1, outputTokens: 1 } }, limits)).rejects.toThrow();
    await expect(runBenchmark({ baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: [-1] }, step: { requests: 1 }, lengths: { kind: "fixed", promptTokens: 1, outputTokens: 1 } }, limits)).rejects.toThrow();
  });
});

/** Runs `npm run bench:serve -- …` as the user would (the script under tsx, its own process). */
function benchServe(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "scripts/bench-serve.ts", ...args], { env: { ...process.env, ...env }, timeout: 40_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("npm run bench:serve", () => {
  it("refuses bad arguments with a message, the usage and exit code 2", async () => {
    const out = await benchServe(["--url", url, "--model", QWEN, "--concurrency", "1,x", "--requests", "2"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--concurrency: "x" is not a positive integer');
    expect(out.stderr).toContain("usage: npm run bench:serve");
    expect(out.stdout).toBe("");
  }, 30_000);

  it("prints a row per step and overall, saves JSON without the key, and stores the run (source cli)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-serve-"));
    try {
      const save = path.join(dir, "result.json");
      truth.length = 0;
      const out = await benchServe(
        ["--url", url, "--model", QWEN, "--concurrency", "1,2", "--requests", "4", "--warmup", "1", "--prompt-tokens", "20", "--output-tokens", "8", "--slo-ttft-ms", "5000", "--slo-itl-ms", "1000", "--save", save, "--store", "--name", "cli test"],
        { BENCH_API_KEY: "sk-secret-never-saved", DATABASE_URL: "", DATA_DIR: dir },
      );
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      const lines = out.stdout.split("\n");
      expect(lines.find((l) => l.trimStart().startsWith("conc"))).toMatch(/TTFT p50\/95\/99 ms.*sched p99/);
      expect(lines.filter((l) => /^\s+[12]\s+4\s+0\s/.test(l))).toHaveLength(2);
      expect(out.stdout).toMatch(/all\s+8\s+0\s.*\(overall/);
      expect(out.stdout).toMatch(/stored as run [0-9a-f-]{36}/);

      const text = await readFile(save, "utf8");
      expect(text).not.toContain("sk-secret");
      const saved = JSON.parse(text) as { status: string; steps: unknown[]; overall: unknown };
      expect(saved.status).toBe("succeeded");
      const steps = saved.steps.map((s) => stepResultSchema.parse(s));
      expect(steps.map((s) => [s.load, s.completed, s.outputTokens])).toEqual([[1, 4, 32], [2, 4, 32]]);
      // 2 warm-up + 8 measured requests reached the server, and every measured one met the loose SLO.
      expect(truth).toHaveLength(10);
      for (const s of steps) expect(s.goodput).toBeCloseTo(s.requestThroughput!, 6);

      const { PGlite } = await import("@electric-sql/pglite");
      const pg = await PGlite.create(path.join(dir, "pglite"));
      try {
        const runs = await pg.query<{ id: string; source: string; status: string; name: string; created_by_email: string }>("SELECT id::text, source, status, name, created_by_email FROM benchmark_runs WHERE source = 'cli'");
        expect(runs.rows).toEqual([expect.objectContaining({ source: "cli", status: "succeeded", name: "cli test", created_by_email: "system" })]);
        const stored = await pg.query<{ load: number; output_tokens: number }>("SELECT load, output_tokens FROM benchmark_steps WHERE run_id = $1 ORDER BY index", [runs.rows[0]!.id]);
        expect(stored.rows.map((r) => [Number(r.load), Number(r.output_tokens)])).toEqual([[1, 32], [2, 32]]);
      } finally {
        await pg.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 45_000); // the CLI migrates a fresh embedded database (PGlite) for --store: ~15 s of this
});

describe.each(testDatabases())("the worker's benchmark loop ($name)", (target) => {
  it("runs a queued run, and on stop() hands a running one back to the queue without its partial steps", async () => {
    const t = await target.open();
    await t.migrate();
    const loops: { stop: () => Promise<void> }[] = [];
    try {
      const queued = (steps: number[], step: QueuedRunConfig["runner"]["step"]): QueuedRunConfig => ({
        runner: { baseUrl: url, model: QWEN, sweep: { kind: "concurrency", levels: steps }, step, lengths: { kind: "fixed", promptTokens: 10, outputTokens: 16 } },
        limits: { maxDurationMs: 60_000, maxConcurrency: 8 },
      });
      const short = await createRun(t.db, null, { name: "short", source: "portal", tenantId: null, config: queued([1], { requests: 3 }) as Record<string, unknown> });
      const long = await createRun(t.db, null, { name: "long", source: "portal", tenantId: null, config: queued([1, 2], { durationMs: 20_000 }) as Record<string, unknown> });
      const status = async (id: string) => t.db.benchmarkRun.findUniqueOrThrow({ where: { id } });
      const until = async (check: () => Promise<boolean>) => {
        const deadline = Date.now() + 15_000;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error("timed out");
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      loops.push(startBenchmarkLoop(async () => t.db, 50));
      await until(async () => (await status(short.id)).status === "succeeded");
      expect(await t.db.benchmarkStep.count({ where: { runId: short.id } })).toBe(1);
      await until(async () => (await status(long.id)).status === "running" && (await status(long.id)).progress !== null);

      const stopping = Date.now();
      await loops.pop()!.stop();
      expect(Date.now() - stopping).toBeLessThan(3000); // not the 40 s the run had left
      const requeued = await status(long.id);
      expect(requeued).toMatchObject({ status: "queued", lockedBy: null, lockedAt: null, startedAt: null, progress: null, finishedAt: null, error: null });

      // Another worker takes it from the start; a cancel request then ends it for good.
      loops.push(startBenchmarkLoop(async () => t.db, 50));
      await until(async () => (await status(long.id)).status === "running");
      await t.db.benchmarkRun.update({ where: { id: long.id }, data: { cancelRequested: true } });
      await until(async () => (await status(long.id)).status === "cancelled");
      expect(await t.db.benchmarkStep.count({ where: { runId: long.id } })).toBe(0);
    } finally {
      for (const loop of loops) await loop.stop();
      await t.close();
    }
  }, 30_000);
});
