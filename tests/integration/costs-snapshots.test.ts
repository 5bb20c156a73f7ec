import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiteLLMClient } from "@/lib/integrations/litellm/client";
import { IDLE, type InfraCostSource, type InfraCosts } from "@/lib/costs/infra-source";
import { CLUSTER, runCostSnapshots } from "@/lib/costs/snapshot-job";
import { costsTable } from "@/lib/costs/costs-table";
import { tenantCostPage } from "@/lib/costs/tenant-cost-page";
import { resolvePeriod } from "@/lib/costs/period";
import { createLiteLLMServer } from "@/sandbox/litellm/litellm-server";
import { LiteLLMStore } from "@/sandbox/litellm/store";
import type { SpendLogRow } from "@/sandbox/litellm/state-schema";
import { pyIso } from "@/sandbox/litellm/time";
import { testDatabases, type TestDb } from "../support/databases";
import { seedTenant } from "../support/seed";

const NOW = new Date("2026-03-04T10:00:00Z");

function spendRow(i: number, team: string | null, at: string, model: string, spend: number, prompt: number, completion: number): SpendLogRow {
  return {
    request_id: `req-${i}`, call_type: "acompletion", api_key: `hash-${team}-${i % 2}`, spend, total_tokens: prompt + completion,
    prompt_tokens: prompt, completion_tokens: completion, startTime: pyIso(new Date(at)), endTime: pyIso(new Date(at)),
    request_duration_ms: 5, completionStartTime: null, model, model_id: model, model_group: model, custom_llm_provider: "hosted_vllm",
    api_base: null, user: `user-${i % 2}`, metadata: null, cache_hit: "False", cache_key: "", request_tags: [], team_id: team,
    organization_id: null, end_user: null, requester_ip_address: null, messages: null, response: null, session_id: null,
    status: "success", mcp_namespaced_tool_name: null, agent_id: null, proxy_server_request: null,
  };
}

const costs = (gpuHours: number, gpu: number, cpu: number, ram: number, pv: number): InfraCosts => ({ gpuMilliHours: gpuHours * 1000, gpuCostCents: gpu, cpuCostCents: cpu, ramCostCents: ram, pvCostCents: pv });

/** A deterministic OpenCost: each day the same allocation, counting how often it was asked. */
function fakeInfra(a: string, b: string) {
  const calls: string[] = [];
  const source: InfraCostSource = {
    async byNamespace(window, share) {
      calls.push(`ns:${window.start.toISOString().slice(0, 10)}:${share.shareIdle}`);
      if (!share.shareIdle) return new Map([[a, costs(10, 800, 100, 50, 10)], [b, costs(5, 400, 50, 25, 0)], ["kube-system", costs(0, 0, 30, 20, 0)], [IDLE, costs(9, 720, 0, 0, 0)]]);
      // 720 of idle shared 2:1:0 by GPU (kube-system has none).
      return new Map([[a, costs(10, 1280, 100, 50, 10)], [b, costs(5, 640, 50, 25, 0)], ["kube-system", costs(0, 0, 30, 20, 0)]]);
    },
    async byModel() {
      return [{ namespace: a, model: "llama-3.1-8b-instruct", gpuMilliHours: 10_000, gpuCostCents: 800 }];
    },
    async clusterTotalCents() {
      return 800 + 100 + 50 + 10 + 400 + 50 + 25 + 30 + 20 + 720;
    },
  };
  return { source, calls };
}

describe.each(testDatabases())("cost snapshots ($name)", (target) => {
  let t: TestDb;
  let server: Server;
  let litellmUrl: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    a = (await seedTenant(t.db, { createdAt: new Date("2026-01-01T00:00:00Z") })).id;
    b = (await seedTenant(t.db, { createdAt: new Date("2026-03-02T15:00:00Z") })).id;
    const store = new LiteLLMStore();
    store.load({
      version: 1, teams: [], keys: [],
      spendLogs: [
        spendRow(1, a, "2026-03-01T00:00:00Z", "llama-3.1-8b-instruct", 0.000123, 100, 50),
        spendRow(2, a, "2026-03-01T23:59:59Z", "llama-3.1-8b-instruct", 0.1, 1000, 500),
        spendRow(3, a, "2026-03-02T12:00:00Z", "qwen2.5-0.5b-instruct", 0.333333, 10, 20),
        spendRow(4, b, "2026-03-03T12:00:00Z", "qwen2.5-0.5b-instruct", 1.5, 7, 9),
        spendRow(5, null, "2026-03-03T13:00:00Z", "qwen2.5-0.5b-instruct", 9, 1, 1),
        // Today: never snapshotted.
        spendRow(6, a, "2026-03-04T01:00:00Z", "llama-3.1-8b-instruct", 5, 1, 1),
      ],
    });
    server = createLiteLLMServer(store, { masterKey: "sk-test-master", upstreamUrl: "http://127.0.0.1:9", models: [] });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    litellmUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it("reads day-bounded spend rows from the sandbox LiteLLM, dropping the next midnight", async () => {
    const litellm = createLiteLLMClient({ baseUrl: litellmUrl, masterKey: "sk-test-master", timeoutMs: 2000 });
    const rows = await litellm.spendLogs({ startDate: "2026-03-01", endDate: "2026-03-02" });
    expect(rows.map((r) => r.request_id).sort()).toEqual(["req-1", "req-2"]);
    const bad = createLiteLLMClient({ baseUrl: litellmUrl, masterKey: "sk-wrong", timeoutMs: 2000 });
    await expect(bad.spendLogs({ startDate: "2026-03-01", endDate: "2026-03-02" })).rejects.toThrow();
  });

  it("backfills closed days once, idempotently, and reconciles", async () => {
    const litellm = createLiteLLMClient({ baseUrl: litellmUrl, masterKey: "sk-test-master", timeoutMs: 2000 });
    const infra = fakeInfra(a, b);
    const deps = { db: t.db, infra: infra.source, litellm, idleSharing: "proportional" as const };
    const first = await runCostSnapshots(deps, { now: NOW, backfillDays: 3 });
    expect(first).toEqual({ infraDays: ["2026-03-01", "2026-03-02", "2026-03-03"], spendDays: ["2026-03-01", "2026-03-02", "2026-03-03"] });
    const before = await t.db.costSnapshot.findMany({ orderBy: [{ day: "asc" }, { tenantId: "asc" }, { source: "asc" }] });
    const callsAfterFirst = infra.calls.length;

    const second = await runCostSnapshots(deps, { now: NOW, backfillDays: 3 });
    expect(second).toEqual({ infraDays: [], spendDays: [] });
    expect(infra.calls.length).toBe(callsAfterFirst);
    expect(await t.db.costSnapshot.findMany({ orderBy: [{ day: "asc" }, { tenantId: "asc" }, { source: "asc" }] })).toEqual(before);

    const day1 = await t.db.costSnapshot.findUniqueOrThrow({ where: { tenantId_day_source: { tenantId: a, day: new Date("2026-03-01"), source: "litellm" } } });
    // 0.000123 + 0.1 dollars, in micro-units, summed as integers.
    expect(day1.tokenSpendMicros).toBe(100_123n);
    expect(day1.inputTokens).toBe(1100n);
    expect(day1.outputTokens).toBe(550n);
    const infraA = await t.db.costSnapshot.findUniqueOrThrow({ where: { tenantId_day_source: { tenantId: a, day: new Date("2026-03-02"), source: "opencost" } } });
    expect([infraA.gpuCostCents, infraA.idleShareCents, infraA.gpuMilliHours]).toEqual([800, 480, 10_000]);
    const byModel = await t.db.costBreakdown.findMany({ where: { tenantId: a, dimension: "model" }, orderBy: [{ day: "asc" }, { value: "asc" }] });
    expect(byModel.map((m) => [m.day.toISOString().slice(0, 10), m.value, m.tokenSpendMicros])).toEqual([
      ["2026-03-01", "llama-3.1-8b-instruct", 100_123n],
      ["2026-03-02", "qwen2.5-0.5b-instruct", 333_333n],
    ]);
    expect(await t.db.costSnapshot.count({ where: { tenantId: CLUSTER } })).toBe(6);
  });

  it("costs table: tenants + other + unallocated idle = cluster, to the cent", async () => {
    const table = await costsTable(t.db, { period: resolvePeriod({ kind: "this-month" }, NOW), idleSharing: "proportional", now: NOW });
    const rowA = table.rows.find((r) => r.tenantId === a)!;
    const rowB = table.rows.find((r) => r.tenantId === b)!;
    // 3 closed days of A: gpu 800, cpu 100, ram 50, pv 10, idle share 480.
    expect(rowA).toMatchObject({ gpuCents: 2400, cpuCents: 300, ramCents: 150, pvCents: 30, idleShareCents: 1440, infraCents: 4320 });
    // 100_123 + 333_333 micros = 43.3456 cents → 43 (rounded once, on the total).
    expect(rowA.tokenSpendCents).toBe(43);
    expect(rowA.totalCents).toBe(4363);
    expect(rowB.tokenSpendCents).toBe(150);
    expect(table.reconciliation).toMatchObject({ ok: true, differenceCents: 0, clusterTotalCents: 3 * 2205 });
    expect(table.totals.totalCents).toBe(table.rows.reduce((s, r) => s + r.totalCents, 0));
  });

  it("tenant page: daily rows, spend by model, unit economics from stored GPU cost; unknown tenant is null", async () => {
    const period = resolvePeriod({ kind: "this-month" }, NOW);
    const page = await tenantCostPage(t.db, a, period, { outputTokensByModel: async () => new Map([["llama-3.1-8b-instruct", 1_200_000]]) }, NOW);
    expect(page?.daily.map((d) => [d.day, d.gpuCents, d.idleShareCents])).toEqual([["2026-03-01", 800, 480], ["2026-03-02", 800, 480], ["2026-03-03", 800, 480]]);
    expect(page?.spendByModel.map((m) => [m.value, m.tokenSpendCents])).toEqual([["qwen2.5-0.5b-instruct", 33], ["llama-3.1-8b-instruct", 10]]);
    // 3 days × 800 cents over 1.2M output tokens = 2000 cents per million.
    expect(page?.unitEconomics).toEqual([{ model: "llama-3.1-8b-instruct", gpuCostCents: 2400, outputTokens: 1_200_000, costPerMillionOutputCents: 2000, listPricePerMillionOutputCents: null }]);
    expect(await tenantCostPage(t.db, "no-such-tenant", period, {}, NOW)).toBeNull();
  });
});
