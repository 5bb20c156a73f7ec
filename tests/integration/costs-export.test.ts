import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { TENANT_COLUMNS, DAILY_COLUMNS } from "@/lib/costs/export/columns";
import { chunksToStream } from "@/lib/costs/export/stream";
import { dailyCsvChunks } from "@/lib/costs/export/tenants-csv";
import { resolvePeriod } from "@/lib/costs/period";
import { testDatabases, type TestDb } from "../support/databases";
import { principalFor, seedTenant, seedUser } from "../support/seed";

/**
 * The export routes as a browser calls them: real policy, database and route gate; only the
 * session is a stand-in. Then the stream itself: it pages lazily and its chunks stay bounded
 * however many rows there are.
 */

const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({ getPrincipal: async () => session.principal }));

const { GET: tenantsGET } = await import("@/app/api/costs/export.csv/route");
const { GET: tenantGET } = await import("@/app/api/costs/tenants/[tenant]/export.csv/route");

type Holders = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }> };
const holders = globalThis as typeof globalThis & Holders;

type Who = "developer A" | "tenant-admin A" | "tenant-admin B" | "platform-admin" | "finance" | "no role" | "signed out";
let people: Record<Exclude<Who, "signed out">, Principal>;
let A: string;
let B: string;

async function call(who: Who, path: string) {
  session.principal = who === "signed out" ? null : people[who];
  const req = new NextRequest(`http://portal.test${path}`);
  const match = /^\/api\/costs\/tenants\/([^/]+)\/export\.csv/.exec(path);
  const res = match ? await tenantGET(req, { params: Promise.resolve({ tenant: decodeURIComponent(match[1]!) }) }) : await tenantsGET(req, { params: Promise.resolve({}) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const PERIOD = "period=custom&from=2026-01-01&to=2026-01-31";
const DAYS = 365;
const BULK_TENANTS = 55; // × 365 days = 20,075 daily rows

describe.each(testDatabases())("cost exports ($name)", (target) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    expect(holders.__portalDb).toBeUndefined();
    holders.__portalDb = Promise.resolve({ db: t.db, close: async () => undefined });
    A = (await seedTenant(t.db, { id: "a-acme", displayName: "Acme", costCenter: "=cmd|' /C calc'!A0", monthlyBudgetCents: 50_000 })).id;
    B = (await seedTenant(t.db, { id: "b-globex", displayName: "Globex", costCenter: "CC, \"quoted\"" })).id;
    const user = await seedUser(t.db);
    people = {
      "developer A": principalFor(user, { tenants: { [A]: "developer" } }),
      "tenant-admin A": principalFor(user, { tenants: { [A]: "tenant-admin" } }),
      "tenant-admin B": principalFor(user, { tenants: { [B]: "tenant-admin" } }),
      "platform-admin": principalFor(user, { platform: ["platform-admin"] }),
      finance: principalFor(user, { platform: ["finance"] }),
      "no role": principalFor(user),
    };
    // Two known days for A in January (two sources each), one for B, and one day outside the period.
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    await t.db.costSnapshot.createMany({
      data: [
        { tenantId: A, day: day("2026-01-05"), source: "opencost", gpuMilliHours: 2500, gpuCostCents: 1234, cpuCostCents: 56, ramCostCents: 7, pvCostCents: 1, idleShareCents: 10 },
        { tenantId: A, day: day("2026-01-05"), source: "litellm", tokenSpendMicros: 12_345_678n, inputTokens: 1000n, outputTokens: 2000n },
        { tenantId: A, day: day("2026-01-06"), source: "opencost", gpuMilliHours: 500, gpuCostCents: 100, cpuCostCents: 0, ramCostCents: 0, pvCostCents: 0, idleShareCents: 0 },
        { tenantId: A, day: day("2026-01-06"), source: "litellm", tokenSpendMicros: 4_999n, inputTokens: 1n, outputTokens: 1n },
        { tenantId: B, day: day("2026-01-10"), source: "opencost", gpuCostCents: 99 },
        { tenantId: A, day: day("2026-02-01"), source: "opencost", gpuCostCents: 777_777 },
      ],
    });
  });

  afterAll(async () => {
    holders.__portalDb = undefined;
    session.principal = null;
    await t?.close();
  });

  describe("authorization", () => {
    const cases: Array<{ who: Who; path: () => string; status: number }> = [
      { who: "finance", path: () => `/api/costs/export.csv?${PERIOD}`, status: 200 },
      { who: "platform-admin", path: () => `/api/costs/export.csv?${PERIOD}`, status: 200 },
      { who: "tenant-admin A", path: () => `/api/costs/export.csv?${PERIOD}`, status: 403 },
      { who: "developer A", path: () => `/api/costs/export.csv?${PERIOD}`, status: 403 },
      { who: "no role", path: () => `/api/costs/export.csv?${PERIOD}`, status: 403 },
      { who: "signed out", path: () => `/api/costs/export.csv?${PERIOD}`, status: 401 },
      { who: "finance", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 200 },
      { who: "platform-admin", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 200 },
      { who: "tenant-admin A", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 200 },
      { who: "developer A", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 403 },
      { who: "tenant-admin B", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 404 },
      { who: "no role", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 404 },
      { who: "signed out", path: () => `/api/costs/tenants/${A}/export.csv?${PERIOD}`, status: 401 },
      { who: "finance", path: () => `/api/costs/tenants/no-such-tenant/export.csv?${PERIOD}`, status: 404 },
      { who: "tenant-admin B", path: () => `/api/costs/tenants/no-such-tenant/export.csv?${PERIOD}`, status: 404 },
      { who: "finance", path: () => "/api/costs/export.csv?period=custom&from=2026-02-30&to=2026-03-01", status: 422 },
      { who: "finance", path: () => "/api/costs/export.csv?period=custom&from=2000-01-01&to=2026-01-01", status: 422 },
      { who: "tenant-admin A", path: () => `/api/costs/tenants/${A}/export.csv?period=decade`, status: 422 },
    ];
    it.each(cases)("$who GET $path → $status", async ({ who, path, status }) => {
      const res = await call(who, path());
      expect(res.status).toBe(status);
      if (status === 200) expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      else expect(JSON.parse(res.text)).toHaveProperty("error.code");
    });

    it("a 404 for another tenant looks exactly like one for a tenant that does not exist", async () => {
      const other = await call("tenant-admin B", `/api/costs/tenants/${A}/export.csv?${PERIOD}`);
      const none = await call("tenant-admin B", `/api/costs/tenants/zz-none/export.csv?${PERIOD}`);
      const strip = (s: string) => JSON.stringify({ ...JSON.parse(s).error, requestId: undefined });
      expect(strip(other.text)).toBe(strip(none.text));
    });
  });

  describe("content", () => {
    it("tenants export: documented header, money from cents, rounded once, injection defused, quoting", async () => {
      const res = await call("finance", `/api/costs/export.csv?${PERIOD}`);
      const lines = res.text.split("\r\n");
      expect(lines[0]).toBe(TENANT_COLUMNS.join(","));
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="costs-2026-01-01_2026-02-01.csv"');
      // 12.345678 + 0.004999 dollars = 12.350677 → 12.35 (once); the February day is out of the period.
      expect(lines[1]).toBe(`${A},'=cmd|' /C calc'!A0,2026-01-01,2026-02-01,3.000,13.34,0.56,0.07,0.01,0.10,12.35,1001,2001,500.00,2.47,USD`);
      expect(lines[2]).toBe(`${B},"CC, ""quoted""",2026-01-01,2026-02-01,0.000,0.99,0.00,0.00,0.00,0.00,0.00,0,0,100.00,0.00,USD`);
      expect(lines.at(-1)).toBe("");
    });

    it("tenant daily export: date after cost_center, one row per stored day with both sources summed", async () => {
      const res = await call("tenant-admin A", `/api/costs/tenants/${A}/export.csv?${PERIOD}`);
      const lines = res.text.trimEnd().split("\r\n");
      expect(lines[0]).toBe(DAILY_COLUMNS.join(","));
      expect(lines.slice(1)).toEqual([
        `${A},'=cmd|' /C calc'!A0,2026-01-05,2026-01-05,2026-01-06,2.500,12.34,0.56,0.07,0.01,0.10,12.35,1000,2000,500.00,2.47,USD`,
        `${A},'=cmd|' /C calc'!A0,2026-01-06,2026-01-06,2026-01-07,0.500,1.00,0.00,0.00,0.00,0.00,0.00,1,1,500.00,0.00,USD`,
      ]);
    });

    it("every successful export is audited with who, what and which period", async () => {
      const before = await t.db.auditEvent.count({ where: { action: "cost.export" } });
      await call("tenant-admin A", `/api/costs/tenants/${A}/export.csv?${PERIOD}`);
      const events = await t.db.auditEvent.findMany({ where: { action: "cost.export" }, orderBy: { at: "desc" } });
      expect(events.length).toBe(before + 1);
      expect(events[0]).toMatchObject({ outcome: "success", tenantId: A, targetType: "tenant", targetId: A, actorEmail: people["tenant-admin A"].email });
      expect(events[0]!.detail).toMatchObject({ periodStart: "2026-01-01", periodEnd: "2026-02-01", granularity: "day" });
      const denied = await t.db.auditEvent.count({ where: { action: "cost.view-tenant", outcome: "denied" } });
      await call("developer A", `/api/costs/tenants/${A}/export.csv?${PERIOD}`);
      expect(await t.db.auditEvent.count({ where: { action: "cost.view-tenant", outcome: "denied" } })).toBe(denied + 1);
    });
  });

  describe("streaming", () => {
    const year = resolvePeriod({ kind: "custom", start: "2025-01-01", end: "2026-01-01" });

    beforeAll(async () => {
      const tenants = Array.from({ length: BULK_TENANTS }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
      for (const id of tenants) await seedTenant(t.db, { id, displayName: id, monthlyBudgetCents: 100_000 });
      const rows = tenants.flatMap((tenantId, i) =>
        Array.from({ length: DAYS }, (_, d) => ({ tenantId, day: new Date(year.start.getTime() + d * 86_400_000), source: "opencost", gpuMilliHours: 1000, gpuCostCents: 100 + i, cpuCostCents: d })),
      );
      for (let i = 0; i < rows.length; i += 5000) await t.db.costSnapshot.createMany({ data: rows.slice(i, i + 5000) });
    }, 120_000);

    it("20,075 daily rows arrive in bounded chunks, and add up", async () => {
      const res = await call("finance", "/api/costs/export.csv?period=custom&from=2025-01-01&to=2025-12-31&granularity=day");
      expect(res.status).toBe(200);
      const lines = res.text.trimEnd().split("\r\n");
      expect(lines).toHaveLength(1 + BULK_TENANTS * DAYS);
      const gpuCol = DAILY_COLUMNS.indexOf("gpu_cost");
      const gpuCents = lines.slice(1).reduce((s, l) => s + Math.round(Number(l.split(",")[gpuCol]) * 100), 0);
      const expected = Array.from({ length: BULK_TENANTS }, (_, i) => (100 + i) * DAYS).reduce((a, b) => a + b, 0);
      expect(gpuCents).toBe(expected);
    }, 60_000);

    it("pages lazily: reading the first batch and cancelling stops the database reads", async () => {
      let snapshotReads = 0;
      const counting = new Proxy(t.db, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== "costSnapshot") return value;
          return new Proxy(value as object, {
            get(model, method, r) {
              const fn = Reflect.get(model, method, r);
              return method === "findMany" ? (...args: unknown[]) => ((snapshotReads += 1), (fn as (...a: unknown[]) => unknown).apply(model, args)) : fn;
            },
          });
        },
      }) as Db;
      const reader = chunksToStream(dailyCsvChunks(counting, { period: year, currency: "USD" })).getReader();
      const decoder = new TextDecoder();
      const header = decoder.decode((await reader.read()).value);
      expect(header).toBe(`${DAILY_COLUMNS.join(",")}\r\n`);
      const sizes: number[] = [];
      for (let i = 0; i < 2; i++) sizes.push((await reader.read()).value!.byteLength);
      await reader.cancel();
      // Two batches read, not the ~6 a full export needs: the stream does not race ahead.
      expect(snapshotReads).toBeLessThanOrEqual(3);
      // A batch is ≤ 10 tenants × 365 days: well under a megabyte, whatever the total.
      for (const size of sizes) expect(size).toBeLessThan(10 * 366 * 200);
    });

    it("the number of chunks grows with the tenants while each chunk stays bounded", async () => {
      const reader = chunksToStream(dailyCsvChunks(t.db, { period: year, currency: "USD" })).getReader();
      let chunks = 0;
      let largest = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks += 1;
        largest = Math.max(largest, value.byteLength);
      }
      // Header + one chunk per batch of 10 tenants that has rows (bulk tenants + A/B batch).
      expect(chunks).toBeGreaterThanOrEqual(1 + Math.ceil(BULK_TENANTS / 10));
      expect(largest).toBeLessThan(10 * 366 * 200);
    }, 60_000);
  });
});
