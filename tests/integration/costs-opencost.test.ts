import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costsTable } from "@/lib/costs/costs-table";
import { defaultCostHooks } from "@/lib/costs/default-hooks";
import { COST_TICK_LOCK, runExclusive } from "@/lib/costs/exclusive";
import { opencostInfraSource } from "@/lib/costs/infra-source";
import { fetchLiveToday } from "@/lib/costs/live-today";
import { resolvePeriod } from "@/lib/costs/period";
import { runCostSnapshots } from "@/lib/costs/snapshot-job";
import { tenantCostPage } from "@/lib/costs/tenant-cost-page";
import { createLiteLLMClient } from "@/lib/integrations/litellm/client";
import { createOpenCostClient } from "@/lib/integrations/opencost/client";
import { createLiteLLMServer } from "@/sandbox/litellm/litellm-server";
import { LiteLLMStore } from "@/sandbox/litellm/store";
import { SANDBOX_MODELS } from "@/sandbox/models";
import { startOpenCost, type OpenCostStandIn } from "@/sandbox/opencost/opencost-server";
import { JANUARY_2026, loadScenario, SCENARIO_TENANTS, scenarioExpectations } from "@/sandbox/opencost/scenario";
import { seedCostDemo } from "@/scripts/seed-cost-demo";
import { testDatabases, type TestDb } from "../support/databases";
import { seedTenant } from "../support/seed";

const MASTER = "sk-test-master";
let clock = Date.parse("2026-02-01T10:00:00Z");
let oc: OpenCostStandIn;
let server: Server;
let litellmUrl: string;

beforeAll(async () => {
  oc = await startOpenCost({ host: "127.0.0.1", port: 0, now: () => clock });
  server = createLiteLLMServer(new LiteLLMStore(), { masterKey: MASTER, upstreamUrl: "http://127.0.0.1:9", models: SANDBOX_MODELS });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  litellmUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await oc?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const litellm = () => createLiteLLMClient({ baseUrl: litellmUrl, masterKey: MASTER, timeoutMs: 2000 });
const infra = () => opencostInfraSource(createOpenCostClient({ baseUrl: oc.url, timeoutMs: 5000 }));
const JAN = { kind: "custom" as const, start: "2026-01-01", end: "2026-02-01" };

describe.each(testDatabases())("costs against the OpenCost stand-in ($name)", (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    for (const id of SCENARIO_TENANTS) await seedTenant(t.db, { id, displayName: id, createdAt: new Date("2025-11-01T00:00:00Z") });
  });
  afterAll(async () => t?.close());

  const wipe = () => t.db.$transaction([t.db.costSnapshot.deleteMany({}), t.db.costBreakdown.deleteMany({})]);

  it("snapshot job over the real client: January's table equals the scenario to the cent, and reconciles", async () => {
    clock = Date.parse("2026-02-01T10:00:00Z");
    loadScenario(oc.history, { month: "2026-01" });
    await wipe();
    const done = await runCostSnapshots({ db: t.db, infra: infra(), litellm: litellm(), idleSharing: "none" }, { now: new Date(clock), backfillDays: 31 });
    expect(done.infraDays).toHaveLength(31);
    const table = await costsTable(t.db, { period: resolvePeriod(JAN), idleSharing: "none", currency: "USD", now: new Date(clock) });
    const expected = scenarioExpectations("2026-01");
    for (const id of SCENARIO_TENANTS) {
      const row = table.rows.find((r) => r.tenantId === id)!;
      const e = expected.tenants[id];
      expect({ gpuHours: row.gpuHours, gpu: row.gpuCents, cpu: row.cpuCents, ram: row.ramCents, pv: row.pvCents, infra: row.infraCents, idleShare: row.idleShareCents }).toEqual({
        gpuHours: e.gpuHours, gpu: e.gpuCents, cpu: e.cpuCents, ram: e.ramCents, pv: e.pvCents, infra: e.totalCents, idleShare: 0,
      });
      // the hand-written January figures, so a change in both the engine and the arithmetic shows
      expect(row.infraCents).toBe(JANUARY_2026.tenants[id].totalCents);
    }
    expect(table.reconciliation).toMatchObject({ ok: true, differenceCents: 0, clusterTotalCents: expected.cluster.totalCents, unallocatedIdleCents: expected.idle.totalCents, otherCents: 0 });
    // GPU cost by the model label (portal.inference-platform.io/model, sanitized by OpenCost)
    const page = await tenantCostPage(t.db, "acme", resolvePeriod(JAN), {}, new Date(clock));
    expect(page!.unitEconomics.map((u) => [u.model, u.gpuCostCents])).toEqual([["llama-3.1-8b-instruct", 100 * 80], ["qwen2.5-7b-instruct", 252 * 80]]);
    expect(page!.unitEconomicsUnavailable).toEqual({ outputTokens: "Output tokens served (vLLM) is not configured", listPrices: "List prices (LiteLLM) is not configured" });
  });

  it("proportional idle sharing: categories unchanged, the shared idle plus what is left equals the idle, reconciled", async () => {
    await wipe();
    await runCostSnapshots({ db: t.db, infra: infra(), litellm: litellm(), idleSharing: "proportional" }, { now: new Date(clock), backfillDays: 31 });
    const table = await costsTable(t.db, { period: resolvePeriod(JAN), idleSharing: "proportional", currency: "USD", now: new Date(clock) });
    const expected = scenarioExpectations("2026-01");
    const shared = table.rows.reduce((s, r) => s + r.idleShareCents, 0);
    for (const id of SCENARIO_TENANTS) expect(table.rows.find((r) => r.tenantId === id)!.gpuCents).toBe(expected.tenants[id].gpuCents);
    expect(shared).toBeGreaterThan(0);
    expect(shared + table.reconciliation.unallocatedIdleCents).toBe(expected.idle.totalCents);
    expect(table.reconciliation.ok).toBe(true);
    expect(Math.abs(table.reconciliation.differenceCents)).toBeLessThanOrEqual(table.reconciliation.toleranceCents);
  });

  it("live today: OpenCost today-so-far merged into this month's rows and marked; the forecast stays on closed days", async () => {
    // Jan's second qwen-chat replica runs 12 h into February: at 10:00, 10 GPU-hours so far.
    const live = await fetchLiveToday({ infra: infra(), litellm: litellm(), idleSharing: "none", tenantIds: new Set(SCENARIO_TENANTS) }, new Date(clock));
    const now = new Date(clock);
    const table = await costsTable(t.db, { period: resolvePeriod({ kind: "this-month" }, now), idleSharing: "none", currency: "USD", now, live });
    expect(table.live).toMatchObject({ day: "2026-02-01", infra: { status: "ok" }, spend: { status: "ok" } });
    const acme = table.rows.find((r) => r.tenantId === "acme")!;
    // 10 h × (80 GPU + 8 CPU + 4 RAM) cents; no PV on that replica
    expect([acme.gpuCents, acme.cpuCents, acme.ramCents, acme.pvCents, acme.liveTodayCents]).toEqual([800, 80, 40, 0, 920]);
    expect(acme.forecast.forecastCents).toBeNull();
    expect(table.reconciliation).toMatchObject({ ok: true, differenceCents: 0 });
    const page = await tenantCostPage(t.db, "acme", resolvePeriod({ kind: "this-month" }, now), {}, now, live);
    expect(page!.daily).toEqual([expect.objectContaining({ day: "2026-02-01", gpuCents: 800, live: true })]);
    // Without live figures, the same table has nothing for today.
    const closed = await costsTable(t.db, { period: resolvePeriod({ kind: "this-month" }, now), idleSharing: "none", currency: "USD", now });
    expect([closed.live, closed.rows.find((r) => r.tenantId === "acme")!.gpuCents]).toEqual([null, 0]);
  });

  it("live today says why a source is missing instead of showing zero", async () => {
    const down = createLiteLLMClient({ baseUrl: "http://127.0.0.1:9", masterKey: MASTER, timeoutMs: 300 });
    const live = await fetchLiveToday({ infra: null, litellm: down, idleSharing: "none", tenantIds: new Set(SCENARIO_TENANTS) }, new Date(clock));
    expect(live.infra).toEqual({ status: "unavailable", reason: "OpenCost is not configured (OPENCOST_URL)" });
    expect(live.spend).toMatchObject({ status: "unavailable", reason: expect.stringContaining("LiteLLM did not answer") });
  });

  it("seedCostDemo loads last and this month over HTTP and stores known figures, idempotently", async () => {
    clock = Date.parse("2026-02-10T10:00:00Z");
    const now = new Date(clock);
    const first = await seedCostDemo({ db: t.db, opencostUrl: oc.url, litellmUrl, litellmMasterKey: MASTER, idleSharing: "none", now });
    expect(first.months).toEqual(["2026-01", "2026-02"]);
    // Rows are replaced on a re-seed (new ids and times); their figures must not change.
    const rows = () => t.db.costSnapshot.findMany({ where: { source: "opencost" }, orderBy: [{ day: "asc" }, { tenantId: "asc" }], omit: { id: true, createdAt: true, updatedAt: true } });
    const before = await rows();
    await seedCostDemo({ db: t.db, opencostUrl: oc.url, litellmUrl, litellmMasterKey: MASTER, idleSharing: "none", now });
    expect(await rows()).toEqual(before);
    const last = await costsTable(t.db, { period: resolvePeriod({ kind: "last-month" }, now), idleSharing: "none", currency: "USD", now });
    const jan = scenarioExpectations("2026-01", ["2026-01", "2026-02"]);
    for (const id of SCENARIO_TENANTS) expect(last.rows.find((r) => r.tenantId === id)!.infraCents).toBe(jan.tenants[id].totalCents);
    expect(last.reconciliation).toMatchObject({ ok: true, differenceCents: 0, clusterTotalCents: jan.cluster.totalCents });
    // February 1–9 closed: acme's qwen-chat (216 h) + Jan's replica (12 h) + llama-8b (100 h) GPU-hours.
    const feb = await costsTable(t.db, { period: resolvePeriod({ kind: "this-month" }, now), idleSharing: "none", currency: "USD", now });
    expect(feb.rows.find((r) => r.tenantId === "acme")!.gpuHours).toBe(216 + 12 + 100);
    const refused = await fetch(`${oc.url}/_sandbox/scenario?month=2026-13`, { method: "POST" });
    expect([refused.status, await refused.text()]).toEqual([400, "month must be YYYY-MM (1 to 24 consecutive months)\n"]);
    expect((await fetch(`${oc.url}/_sandbox/scenario?month=2026-01&month=2026-03`, { method: "POST" })).status).toBe(400);
    expect((await fetch(`${oc.url}/_sandbox/scenario?month=2026-01`)).status).toBe(405);
  });

  it("the cost tick runs on one replica at a time (advisory lock), and again once released", async () => {
    const mode = target.name === "postgres" ? "postgres" : "single-process";
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = runExclusive(t.db, COST_TICK_LOCK, mode, () => held.then(() => "first"));
    await new Promise((r) => setTimeout(r, 200));
    expect(await runExclusive(t.db, COST_TICK_LOCK, mode, async () => "second")).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: "first" });
    expect(await runExclusive(t.db, COST_TICK_LOCK, mode, async () => "third")).toEqual({ ran: true, value: "third" });
  });
});

describe("list prices and unit economics hooks", () => {
  it("LiteLLM /model/info (stand-in) gives output prices per million tokens in cents; master key only", async () => {
    const prices = await defaultCostHooks({ litellm: litellm() }).listPricePerMillionOutputCents!();
    expect(Object.fromEntries(prices)).toEqual({ "qwen2.5-0.5b-instruct": 6, "llama-3.1-8b-instruct": 30, "llama-3.1-70b-instruct": 180 });
    const anonymous = await fetch(`${litellmUrl}/model/info`);
    expect(anonymous.status).toBe(401);
  });
});
