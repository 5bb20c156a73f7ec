import { describe, expect, it } from "vitest";
import { resolvePeriod } from "@/lib/costs/period";
import { buildStatement } from "./statement";

const tenant = { id: "acme", displayName: "Acme", costCenter: "CC-1" };
const period = resolvePeriod({ kind: "custom", start: "2026-01-01", end: "2026-02-01" });
const sums = { tenantId: "acme", gpuMilliHours: 1500, gpuCents: 1000, cpuCents: 200, ramCents: 30, pvCents: 4, idleShareCents: 5, tokenSpendMicros: 12_345_000n + 4_999n, inputTokens: 10n, outputTokens: 20n };
const day = (d: string, live = false) => ({ day: d, gpuCents: 1, cpuCents: 0, ramCents: 0, pvCents: 0, idleShareCents: 0, tokenSpendCents: 0, gpuHours: 0, inputTokens: 0, outputTokens: 0, ...(live ? { live: true } : {}) });

describe("buildStatement", () => {
  it("totals by category add up, token spend rounded once on the month's micro-units", () => {
    const s = buildStatement({ tenant, period, sums, daily: [], budgetCents: 10_000, currency: "EUR", idleSharing: "proportional", now: new Date("2026-02-10T00:00:00Z") });
    // 12.349999 dollars → 1235 cents (half away from zero, once).
    expect(s.lines.find((l) => l.key === "tokens")?.cents).toBe(1235);
    expect(s.infraCents).toBe(1000 + 200 + 30 + 4 + 5);
    expect(s.totalCents).toBe(s.lines.reduce((a, l) => a + l.cents, 0));
    expect(s.budgetUsedPct).toBe(12.35);
    expect([s.month, s.period.start, s.period.end, s.closed, s.currency, s.idleSharing]).toEqual(["2026-01", "2026-01-01", "2026-02-01", true, "EUR", "proportional"]);
  });

  it("a running month is not closed, has no budget % without a budget, and drops today's live row", () => {
    const s = buildStatement({ tenant, period, sums: undefined, daily: [day("2026-01-01"), day("2026-01-02", true)], budgetCents: 0, currency: "USD", idleSharing: "none", now: new Date("2026-01-02T12:00:00Z") });
    expect(s.closed).toBe(false);
    expect(s.totalCents).toBe(0);
    expect(s.budgetUsedPct).toBeNull();
    expect(s.daily.map((d) => d.day)).toEqual(["2026-01-01"]);
  });
});
