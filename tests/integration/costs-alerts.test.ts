import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBudgetAlerts } from "@/lib/costs/budget-alerts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "@/lib/costs/alert-webhook";
import { drainOnce } from "@/lib/outbox/worker";
import { testDatabases, type TestDb } from "../support/databases";
import { fakeLiteLLM, seedTenant } from "../support/seed";

const SECRET = "budget-alert-test-secret-0123456789";
const NOW = new Date("2026-03-04T10:00:00Z");

type Received = { body: string; timestamp: string | null; signature: string | null; status: number };

/** A local receiver that fails the next `failNext(n)` deliveries with 500. */
async function receiver() {
  const received: Received[] = [];
  let left = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const status = left-- > 0 ? 500 : 200;
      received.push({ body, timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { received, failNext: (n: number) => (left = n), url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

const noPlatform = () => {
  throw new Error("platform not expected in this test");
};

// One receiver for the file: env() reads (and caches) its URL on first use, and this file runs in
// its own module graph.
let hook: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  hook = await receiver();
  process.env.BUDGET_ALERT_WEBHOOK_URL = hook.url;
  process.env.BUDGET_ALERT_WEBHOOK_SECRET = SECRET;
});
afterAll(async () => hook?.close());

describe.each(testDatabases())("budget alerts ($name)", (target) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
  });
  afterAll(async () => t?.close());

  const spend = (tenantId: string, day: string, micros: bigint) =>
    t.db.costSnapshot.upsert({
      where: { tenantId_day_source: { tenantId, day: new Date(day), source: "litellm" } },
      create: { tenantId, day: new Date(day), source: "litellm", tokenSpendMicros: micros },
      update: { tokenSpendMicros: micros },
    });
  const deps = () => ({ db: t.db, litellm: fakeLiteLLM().client, platform: noPlatform });
  async function drainNow() {
    await t.db.outboxJob.updateMany({ where: { status: "pending" }, data: { runAfter: new Date(Date.now() - 1000) } });
    return drainOnce(deps());
  }

  it("crossing 80% records once, audits once, and delivers one signed webhook after a failed attempt", async () => {
    const tenant = await seedTenant(t.db, { monthlyBudgetCents: 10_000, budgetDuration: "1mo", createdAt: new Date("2026-03-01T00:00:00Z") });
    await spend(tenant.id, "2026-03-02", 80_000_000n); // exactly 80.00 of 100.00
    // Spend before the window (February) does not count.
    await spend(tenant.id, "2026-02-27", 50_000_000n);

    expect(await checkBudgetAlerts(t.db, { now: NOW })).toEqual([{ tenantId: tenant.id, thresholdPct: 80 }]);
    expect(await checkBudgetAlerts(t.db, { now: NOW })).toEqual([]);
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "cost.budget-threshold-crossed" } })).toBe(1);

    hook.failNext(1);
    await drainNow(); // receiver answers 500
    let alert = await t.db.budgetAlert.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(alert).toMatchObject({ deliveryStatus: "pending", attempts: 1, lastError: "receiver answered 500" });
    const job = await t.db.outboxJob.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "cost.budget-alert.deliver" } });
    expect(job.status).toBe("pending");
    expect(job.runAfter.getTime()).toBeGreaterThan(Date.now()); // backoff

    await drainNow(); // 200
    alert = await t.db.budgetAlert.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(alert).toMatchObject({ deliveryStatus: "delivered", attempts: 2, lastError: null });
    const mine = hook.received.filter((r) => r.body.includes(tenant.id));
    expect(mine.map((r) => r.status)).toEqual([500, 200]);
    for (const r of mine) expect(verifyWebhook(SECRET, r, r.body)).toBe(true);
    expect(verifyWebhook("another-secret-of-some-length", mine[1]!, mine[1]!.body)).toBe(false);
    expect(verifyWebhook(SECRET, mine[1]!, mine[1]!.body.replace("80%", "10%"))).toBe(false);
    const payload = JSON.parse(mine[1]!.body) as { text: string; blocks: unknown[] };
    expect(payload.text).toContain("crossed 80% of its budget: $80.00 of $100.00");
    expect(payload.blocks.length).toBeGreaterThan(0);

    // Nothing more to send, and a second crossing of 80% in the same window sends nothing.
    await drainNow();
    await spend(tenant.id, "2026-03-03", 1_000_000n);
    expect(await checkBudgetAlerts(t.db, { now: NOW })).toEqual([]);
    await drainNow();
    expect(hook.received.filter((r) => r.body.includes(tenant.id))).toHaveLength(2);
  });

  it("a higher threshold in the same window alerts for that threshold only; a new window starts over", async () => {
    const tenant = await seedTenant(t.db, { monthlyBudgetCents: 10_000, budgetDuration: "1mo", createdAt: new Date("2026-03-01T00:00:00Z") });
    await spend(tenant.id, "2026-03-02", 85_000_000n);
    expect(await checkBudgetAlerts(t.db, { now: NOW })).toEqual([{ tenantId: tenant.id, thresholdPct: 80 }]);
    await spend(tenant.id, "2026-03-03", 10_000_000n);
    expect(await checkBudgetAlerts(t.db, { now: NOW })).toEqual([{ tenantId: tenant.id, thresholdPct: 90 }]);
    // April: a fresh window, spend there crosses 80% again → recorded again.
    await spend(tenant.id, "2026-04-01", 99_990_000n);
    expect(await checkBudgetAlerts(t.db, { now: new Date("2026-04-02T08:00:00Z") })).toEqual([{ tenantId: tenant.id, thresholdPct: 80 }, { tenantId: tenant.id, thresholdPct: 90 }]);
    await drainNow();
    await drainNow();
    const alerts = await t.db.budgetAlert.findMany({ where: { tenantId: tenant.id }, orderBy: [{ periodStart: "asc" }, { thresholdPct: "asc" }] });
    expect(alerts.map((a) => [a.periodStart.toISOString().slice(0, 10), a.thresholdPct, a.deliveryStatus])).toEqual([
      ["2026-03-01", 80, "delivered"],
      ["2026-03-01", 90, "delivered"],
      ["2026-04-01", 80, "delivered"],
      ["2026-04-01", 90, "delivered"],
    ]);
  });
});
