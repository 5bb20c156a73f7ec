import { describe, expect, it } from "vitest";
import { dollarsToMicros, microsToCents, percentOf, sumCents } from "./money";
import { closedDays, daysOf, previousPeriod, resolvePeriod, runRateStart } from "./period";
import { budgetWindowAt, parseBudgetDuration } from "./budget-window";
import { forecastEndOfPeriod } from "./forecast";
import { reconcile } from "./reconcile";
import { infraDayRows, rowTotal } from "./infra-day";
import { IDLE } from "./infra-source";
import { crossedThresholds } from "./budget-alerts";
import { aggregateSpend } from "./token-spend";

const c = (gpu: number, cpu = 0) => ({ gpuMilliHours: 0, gpuCostCents: gpu, cpuCostCents: cpu, ramCostCents: 0, pvCostCents: 0 });

describe("money", () => {
  it("rounds token spend once, on the integer total, half away from zero", () => {
    // 3 × 0.004 dollars: rounding each to cents would give 0; the sum is 1.2 cents → 1.
    const micros = [0.004, 0.004, 0.004].map(dollarsToMicros).reduce((a, b) => a + b, 0n);
    expect(micros).toBe(12_000n);
    expect(microsToCents(micros)).toBe(1);
    expect(microsToCents(5_000n)).toBe(1);
    expect(microsToCents(4_999n)).toBe(0);
    expect(microsToCents(-5_000n)).toBe(-1);
    expect(microsToCents(-4_999n)).toBe(0);
    expect(Object.is(microsToCents(-1n), 0)).toBe(true);
  });
  it("does not drift where floats do", () => {
    const dollars = Array.from({ length: 10 }, () => 0.1);
    expect(dollars.reduce((a, b) => a + b, 0)).not.toBe(1);
    expect(microsToCents(dollars.map(dollarsToMicros).reduce((a, b) => a + b, 0n))).toBe(100);
  });
  it("refuses non-finite amounts and float cents", () => {
    expect(() => dollarsToMicros(Number.NaN)).toThrow();
    expect(() => dollarsToMicros(Infinity)).toThrow();
    expect(() => sumCents([1, 2.5])).toThrow();
    expect(sumCents([1, 2, -3])).toBe(0);
  });
  it("percent with no budget is null", () => {
    expect(percentOf(1, 0)).toBeNull();
    expect(percentOf(1, 3)).toBe(33.33);
  });
});

describe("periods (UTC)", () => {
  it("this month and last month around a year boundary, [start, end)", () => {
    const now = new Date("2026-01-01T00:30:00+02:00"); // still Dec 31 in UTC
    const p = resolvePeriod({ kind: "this-month" }, now);
    expect([p.start.toISOString(), p.end.toISOString()]).toEqual(["2025-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"]);
    expect(daysOf(p)).toHaveLength(31);
    const last = resolvePeriod({ kind: "last-month" }, now);
    expect(daysOf(last)).toHaveLength(30);
    expect(previousPeriod(p).start.toISOString()).toBe("2025-11-01T00:00:00.000Z");
  });
  it("February in a leap year, and custom periods validated", () => {
    const feb = resolvePeriod({ kind: "this-month" }, new Date("2028-02-10T00:00:00Z"));
    expect(daysOf(feb)).toHaveLength(29);
    expect(() => resolvePeriod({ kind: "custom", start: "2026-02-30", end: "2026-03-05" })).toThrow(/not a calendar day/);
    expect(() => resolvePeriod({ kind: "custom", start: "2026-03-05", end: "2026-03-05" })).toThrow(/after start/);
    expect(() => resolvePeriod({ kind: "custom", start: "2020-01-01", end: "2026-01-01" })).toThrow(/at most/);
    const custom = resolvePeriod({ kind: "custom", start: "2026-03-01", end: "2026-03-08" });
    expect(previousPeriod(custom).start.toISOString()).toBe("2026-02-22T00:00:00.000Z");
  });
  it("a tenant created mid-month starts its run rate on its creation day; today is not closed", () => {
    const p = resolvePeriod({ kind: "this-month" }, new Date("2026-03-20T12:00:00Z"));
    expect(runRateStart(p, new Date("2026-03-15T18:00:00Z")).toISOString()).toBe("2026-03-15T00:00:00.000Z");
    expect(runRateStart(p, new Date("2025-01-01T00:00:00Z"))).toEqual(p.start);
    expect(closedDays(p, new Date("2026-03-20T12:00:00Z"))).toHaveLength(19);
  });
});

describe("budget windows (LiteLLM budget_duration)", () => {
  it("parses durations and refuses others", () => {
    expect(parseBudgetDuration("30d")).toEqual({ amount: 30, unit: "d" });
    expect(parseBudgetDuration("1mo")).toEqual({ amount: 1, unit: "mo" });
    for (const bad of ["", "0d", "1y", "-1d", "1 mo", "30"]) expect(() => parseBudgetDuration(bad)).toThrow();
  });
  it("30d windows from the anchor and resets in N days", () => {
    const w = budgetWindowAt(new Date("2026-01-01T00:00:00Z"), "30d", new Date("2026-03-04T10:00:00Z"));
    expect(w.start.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(w.resetsAt.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(w.resetsInDays).toBe(28);
  });
  it("1mo windows clamp the 31st without drifting", () => {
    const anchor = new Date("2026-01-31T00:00:00Z");
    expect(budgetWindowAt(anchor, "1mo", new Date("2026-03-01T00:00:00Z")).start.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    const april = budgetWindowAt(anchor, "1mo", new Date("2026-04-05T00:00:00Z"));
    expect(april.start.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(april.resetsAt.toISOString()).toBe("2026-04-30T00:00:00.000Z");
  });
});

describe("forecast", () => {
  const period = resolvePeriod({ kind: "this-month" }, new Date("2026-03-11T09:00:00Z"));
  it("linear from closed days, today counted as remaining", () => {
    const f = forecastEndOfPeriod({ period, now: new Date("2026-03-11T09:00:00Z"), tenantCreatedAt: new Date("2025-01-01"), closedSpendCents: 1000 });
    // 10 closed days at 100/day, 21 days left (11th–31st): 1000 + 2100.
    expect(f).toMatchObject({ forecastCents: 3100, runRatePerDayCents: 100, basisDays: 10 });
    expect(f.assumption).toMatch(/10 closed day/);
  });
  it("a mid-month tenant is averaged over its own days only", () => {
    const f = forecastEndOfPeriod({ period, now: new Date("2026-03-11T09:00:00Z"), tenantCreatedAt: new Date("2026-03-09T15:00:00Z"), closedSpendCents: 200 });
    expect(f).toMatchObject({ forecastCents: 200 + 21 * 100, basisDays: 2 });
  });
  it("no closed day → no forecast; closed period → actual", () => {
    expect(forecastEndOfPeriod({ period, now: new Date("2026-03-01T05:00:00Z"), tenantCreatedAt: new Date("2025-01-01"), closedSpendCents: 0 }).forecastCents).toBeNull();
    expect(forecastEndOfPeriod({ period, now: new Date("2026-04-02T00:00:00Z"), tenantCreatedAt: new Date("2025-01-01"), closedSpendCents: 777 }).forecastCents).toBe(777);
  });
});

describe("idle sharing and reconciliation", () => {
  const unshared = new Map([["a", c(800, 100)], ["b", c(400)], ["kube-system", c(0, 50)], [IDLE, c(600)]]);
  it("none: idle stays unallocated", () => {
    const rows = infraDayRows({ unshared, shared: null, sharing: "none", tenantIds: new Set(["a", "b"]) });
    expect(rows.map((r) => [r.tenantId, rowTotal(r)])).toEqual([["a", 900], ["b", 400], ["__other__", 50], [IDLE, 600]]);
  });
  it("proportional: shares move from idle to tenants, totals unchanged", () => {
    const shared = new Map([["a", c(1200, 100)], ["b", c(600)], ["kube-system", c(0, 50)]]);
    const rows = infraDayRows({ unshared, shared, sharing: "proportional", tenantIds: new Set(["a", "b"]) });
    expect(rows.map((r) => [r.tenantId, r.idleShareCents, rowTotal(r)])).toEqual([["a", 400, 1300], ["b", 200, 600], ["__other__", 0, 50], [IDLE, -600, 0]]);
    const tenants = rows.filter((r) => r.tenantId.length === 1).map(rowTotal);
    expect(reconcile({ tenantCents: tenants, otherCents: 50, unallocatedIdleCents: 0, clusterTotalCents: 1950, roundedTerms: 20 })).toMatchObject({ ok: true, differenceCents: 0 });
  });
  it("reconciliation fails beyond rounding tolerance", () => {
    expect(reconcile({ tenantCents: [100], otherCents: 0, unallocatedIdleCents: 0, clusterTotalCents: 103, roundedTerms: 4 })).toMatchObject({ ok: false, differenceCents: -3, toleranceCents: 2 });
    expect(reconcile({ tenantCents: [100], otherCents: 0, unallocatedIdleCents: 0, clusterTotalCents: 102, roundedTerms: 4 }).ok).toBe(true);
  });
});

describe("thresholds and spend aggregation", () => {
  it("crosses at exactly the threshold, integer comparison", () => {
    expect(crossedThresholds(7_999, 10_000)).toEqual([]);
    expect(crossedThresholds(8_000, 10_000)).toEqual([80]);
    expect(crossedThresholds(10_000, 10_000)).toEqual([80, 90, 100]);
    expect(crossedThresholds(5, 0)).toEqual([]);
  });
  it("drops rows outside [start, end) including the next midnight; unassigned team kept apart", () => {
    const row = (t: string, team: string | null, spend: number) => ({ request_id: t, api_key: "k", spend, prompt_tokens: 1, completion_tokens: 2, startTime: t, model: "m", user: null, team_id: team });
    const m = aggregateSpend([row("2026-03-01T00:00:00.000000+00:00", "a", 0.5), row("2026-03-02T00:00:00.000000+00:00", "a", 9), row("2026-03-01T12:00:00", null, 1)], { start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-02T00:00:00Z") });
    expect(m.get("a")?.spendMicros).toBe(500_000n);
    expect(m.get("__unassigned__")?.requests).toBe(1);
  });
});

describe("unit economics", async () => {
  const { unitEconomics } = await import("./tenant-cost-page");
  it("GPU cost per million output tokens, rounded once; null without tokens", () => {
    const rows = unitEconomics(new Map([["llama", 800], ["idle-model", 50]]), new Map([["llama", 3_000_000]]), new Map([["llama", 60]]));
    expect(rows).toEqual([
      { model: "idle-model", gpuCostCents: 50, outputTokens: null, costPerMillionOutputCents: null, listPricePerMillionOutputCents: null },
      { model: "llama", gpuCostCents: 800, outputTokens: 3_000_000, costPerMillionOutputCents: 267, listPricePerMillionOutputCents: 60 },
    ]);
  });
});
