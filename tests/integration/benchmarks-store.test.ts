import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costPerMillionAtSlo, compareRuns, regressions } from "@/lib/benchmarks/analysis";
import { claimQueuedRun, executeRun, type QueuedRunConfig } from "@/lib/benchmarks/execute-run";
import { parseImport } from "@/lib/benchmarks/import/import-file";
import { unpackSamples } from "@/lib/benchmarks/samples";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { createRun, getRun, importRun, listRuns } from "@/lib/benchmarks/store";
import { AppError } from "@/lib/http/errors";
import { ModelServer } from "@/sandbox/vllm/model-server";
import { createReplicaServer } from "@/sandbox/vllm/replica-server";
import { testDatabases, type TestDb } from "../support/databases";
import { principalFor, seedTenant, seedUser } from "../support/seed";

const REFERENCE_ID = "00000000-0000-4000-8000-00000000b001";
const fixture = (name: string) => readFileSync(path.join(process.cwd(), "lib/benchmarks/__fixtures__", name), "utf8");

describe.each(testDatabases())("benchmark storage ($name)", (target) => {
  let t: TestDb;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    // Constant pace, no hardware profile: this test is about storage, not physics.
    server = createReplicaServer(new ModelServer({ servedModelName: "m", maxModelLen: 4096, tokenDelayMs: 1 }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  async function people() {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    const user = await seedUser(t.db);
    return {
      a, b,
      adminA: principalFor(user, { tenants: { [a.id]: "tenant-admin" } }),
      devA: principalFor(user, { tenants: { [a.id]: "developer" } }),
      platform: principalFor(user, { platform: ["platform-admin"] }),
      finance: principalFor(user, { platform: ["finance"] }),
    };
  }

  it("has the reference run from the migration, with only the published figures", async () => {
    const { devA } = await people();
    const run = await getRun(t.db, benchmarkScope(devA), REFERENCE_ID);
    expect(run.source).toBe("reference");
    expect([run.model, run.gpuType, run.gpuCount, run.servingLayer]).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "L4", 1, "vllm"]);
    expect(run.steps.map((s) => [s.load, s.ttft.p50, s.outputThroughput])).toEqual([[1, 27, null], [32, 135, 3773]]);
    expect(run.steps[1]!.server).toEqual({ gpuUtilization: 1, kvCacheUsage: 0.011, waiting: 0 });
    expect(run.steps[0]!.completed).toBeNull(); // not published, so not invented
    expect(run.steps[1]!.ttft.p95).toBeNull();
  });

  it("imports a vLLM result with the same numbers, atomically, and isolates tenants (404)", async () => {
    const { a, b, adminA, devA, platform, finance } = await people();
    const imported = parseImport("vllm", fixture("vllm-bench-serve.handmade.json"));
    const { id } = await importRun(t.db, adminA, imported, { tenantId: a.id, deployment: { namespace: a.id, name: "qwen-chat" }, gpuType: "L4", gpuCount: 1 });
    const run = await getRun(t.db, benchmarkScope(devA), id);
    const raw = JSON.parse(fixture("vllm-bench-serve.handmade.json")) as Record<string, number>;
    expect(run.steps[0]!.ttft.p50).toBe(raw.median_ttft_ms);
    expect(run.steps[0]!.outputThroughput).toBe(raw.output_throughput);
    expect(run.source).toBe("import:vllm");

    const outsider = principalFor(await seedUser(t.db), { tenants: { [b.id]: "tenant-admin" } });
    await expect(getRun(t.db, benchmarkScope(outsider), id)).rejects.toMatchObject({ code: "not_found" });
    await expect(getRun(t.db, benchmarkScope(finance), id)).rejects.toMatchObject({ code: "not_found" });
    await expect(getRun(t.db, benchmarkScope(outsider), "not-a-uuid")).rejects.toBeInstanceOf(AppError);
    expect((await listRuns(t.db, benchmarkScope(outsider))).map((r) => r.id)).not.toContain(id);
    expect((await listRuns(t.db, benchmarkScope(outsider))).map((r) => r.id)).toContain(REFERENCE_ID);
    expect((await listRuns(t.db, benchmarkScope(platform), { tenantId: a.id })).map((r) => r.id)).toEqual([id]);

    // A developer may not import, and a tenant admin may not import into another tenant.
    await expect(importRun(t.db, devA, imported, { tenantId: a.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(importRun(t.db, adminA, imported, { tenantId: b.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await t.db.benchmarkRun.count({ where: { tenantId: b.id } })).toBe(0);
  });

  it("stores nothing when a step cannot be written", async () => {
    const { a, adminA } = await people();
    const imported = parseImport("vllm", fixture("vllm-bench-serve.handmade.json"));
    const broken = { ...imported, name: "broken", steps: [imported.steps[0]!, imported.steps[0]!] }; // duplicate index
    await expect(importRun(t.db, adminA, broken, { tenantId: a.id })).rejects.toThrow();
    expect(await t.db.benchmarkRun.count({ where: { name: "broken" } })).toBe(0);
  });

  it("regressions and cost at SLO against the reference", async () => {
    const { devA } = await people();
    const reference = await getRun(t.db, benchmarkScope(devA), REFERENCE_ID);
    const series = await compareRuns(t.db, benchmarkScope(devA), [REFERENCE_ID]);
    expect(series[0]!.points.map((p) => p.ttftP50)).toEqual([27, 135]);
    const worse = { steps: reference.steps.map((s) => ({ ...s, ttft: { ...s.ttft, p95: (s.load ?? 0) * 10 } })) };
    const base = { steps: reference.steps.map((s) => ({ ...s, ttft: { ...s.ttft, p95: (s.load ?? 0) * 10 * (s.load === 32 ? 0.85 : 1) } })) };
    expect(regressions(worse, base).map((r) => r.load)).toEqual([32]);
    // 80 ¢/h ÷ (3,773 tok/s × 3,600) × 1e6 = 5.89 ¢ per million output tokens, at c=32.
    const cost = costPerMillionAtSlo({ steps: reference.steps.map((s) => ({ ...s, ttft: { ...s.ttft, p95: s.ttft.p50 }, tpot: { ...s.tpot, p95: 8 }, errorRate: 0 })) }, 80, { ttftMs: 200, itlMs: 50 });
    expect(cost?.load).toBe(32);
    expect(cost?.centsPerMillion).toBeCloseTo((80 / (3773 * 3600)) * 1e6, 9);
    expect(costPerMillionAtSlo(reference, 80, { ttftMs: 200 })).toBeNull(); // p95 unknown → not shown as meeting the SLO
  });

  it("the worker claims a queued run once, runs it, stores steps, samples and windows", async () => {
    const { a, adminA, devA } = await people();
    const config: QueuedRunConfig = {
      runner: { baseUrl: url, model: "m", sweep: { kind: "concurrency", levels: [1, 4] }, step: { requests: 12 }, lengths: { kind: "fixed", promptTokens: 10, outputTokens: 8 }, slo: { ttftMs: 500 } },
      limits: { maxDurationMs: 30_000, maxConcurrency: 8 },
    };
    const { id } = await createRun(t.db, adminA, { name: "sweep", source: "portal", tenantId: a.id, config: config as Record<string, unknown> });
    const [first, second] = await Promise.all([claimQueuedRun(t.db, "w1"), claimQueuedRun(t.db, "w2")]);
    expect([first, second].filter((x) => x === id)).toHaveLength(1);
    await executeRun(t.db, id);
    const run = await getRun(t.db, benchmarkScope(devA), id);
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((s) => [s.load, s.completed, s.outputTokens])).toEqual([[1, 12, 96], [4, 12, 96]]);
    expect(run.steps[1]!.goodput).toBeGreaterThan(0);
    expect(run.steps[1]!.windowEndMs!).toBeGreaterThan(run.steps[1]!.windowStartMs!);
    const row = await t.db.benchmarkStep.findFirstOrThrow({ where: { runId: id, index: 1 } });
    const samples = unpackSamples(row.samples!);
    expect(samples).toHaveLength(12);
    expect(samples.every((s) => s.outputTokens === 8 && s.error === 0)).toBe(true);
  });

  it("a cancelled run stops and says so", async () => {
    const { a, adminA } = await people();
    const config: QueuedRunConfig = {
      runner: { baseUrl: url, model: "m", sweep: { kind: "concurrency", levels: [2] }, step: { durationMs: 20_000 }, lengths: { kind: "fixed", promptTokens: 10, outputTokens: 64 } },
      limits: { maxDurationMs: 60_000, maxConcurrency: 8 },
    };
    const { id } = await createRun(t.db, adminA, { name: "to cancel", source: "portal", tenantId: a.id, config: config as Record<string, unknown> });
    await t.db.benchmarkRun.update({ where: { id }, data: { status: "running" } });
    // Prisma queries are lazy: .then() makes this one run.
    setTimeout(() => t.db.benchmarkRun.update({ where: { id }, data: { cancelRequested: true } }).then(() => undefined), 1000);
    const started = Date.now();
    await executeRun(t.db, id);
    expect(Date.now() - started).toBeLessThan(5000);
    const row = await t.db.benchmarkRun.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("cancelled");
  });
});
