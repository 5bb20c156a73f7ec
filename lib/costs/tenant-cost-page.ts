import type { Db } from "@/lib/db/client";
import { budgetWindowAt } from "./budget-window";
import { microsToCents } from "./money";
import { isoDay, type Period } from "./period";

export type DailyRow = { day: string; gpuCents: number; cpuCents: number; ramCents: number; pvCents: number; idleShareCents: number; tokenSpendCents: number; gpuHours: number; inputTokens: number; outputTokens: number };
export type SpendLine = { value: string; tokenSpendCents: number; inputTokens: number; outputTokens: number; requests: number };
export type UnitEconomics = {
  model: string;
  gpuCostCents: number;
  outputTokens: number | null;
  /** GPU cost of the model's pods ÷ output tokens they served × 10^6; null without tokens. */
  costPerMillionOutputCents: number | null;
  listPricePerMillionOutputCents: number | null;
};

/**
 * Cost per million output tokens per model: GPU cost (OpenCost, by the model label) over tokens
 * served (vLLM's counter increase). Pure; one rounding on the result.
 */
export function unitEconomics(gpu: Map<string, number>, outputTokens: Map<string, number>, listPrices: Map<string, number>): UnitEconomics[] {
  const models = [...new Set([...gpu.keys(), ...outputTokens.keys()])].sort();
  return models.map((model) => {
    const cost = gpu.get(model) ?? 0;
    const tokens = outputTokens.get(model) ?? null;
    return {
      model,
      gpuCostCents: cost,
      outputTokens: tokens,
      costPerMillionOutputCents: tokens && tokens > 0 ? Math.round((cost * 1_000_000) / tokens) : null,
      listPricePerMillionOutputCents: listPrices.get(model) ?? null,
    };
  });
}

/** Hooks for live figures from Prometheus (DCGM, vLLM counters) and LiteLLM list prices; optional. */
export type TenantPageHooks = {
  gpuUtilizationPct?: (tenantId: string, period: Period) => Promise<number | null>;
  outputTokensByModel?: (tenantId: string, period: Period) => Promise<Map<string, number>>;
  listPricePerMillionOutputCents?: () => Promise<Map<string, number>>;
};

/**
 * One tenant's cost page from stored snapshots. The caller authorizes `cost.view-tenant` for this
 * tenant first; every query here carries the tenant id.
 */
export async function tenantCostPage(db: Db, tenantId: string, period: Period, hooks: TenantPageHooks = {}, now = new Date()) {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, displayName: true, costCenter: true, monthlyBudgetCents: true, budgetDuration: true, createdAt: true, litellmSyncedAt: true } });
  if (!tenant) return null;
  const inPeriod = { tenantId, day: { gte: period.start, lt: period.end } };
  const [snapshots, breakdowns, alerts] = await Promise.all([
    db.costSnapshot.findMany({ where: inPeriod, orderBy: { day: "asc" } }),
    db.costBreakdown.groupBy({ by: ["dimension", "value"], where: inPeriod, _sum: { tokenSpendMicros: true, inputTokens: true, outputTokens: true, requests: true, gpuCostCents: true, gpuMilliHours: true } }),
    db.budgetAlert.findMany({ where: { tenantId }, orderBy: { crossedAt: "asc" }, take: 100 }),
  ]);
  const days = new Map<string, DailyRow>();
  for (const s of snapshots) {
    const day = isoDay(s.day);
    const r = days.get(day) ?? { day, gpuCents: 0, cpuCents: 0, ramCents: 0, pvCents: 0, idleShareCents: 0, tokenSpendCents: 0, gpuHours: 0, inputTokens: 0, outputTokens: 0 };
    r.gpuCents += s.gpuCostCents;
    r.cpuCents += s.cpuCostCents;
    r.ramCents += s.ramCostCents;
    r.pvCents += s.pvCostCents;
    r.idleShareCents += s.idleShareCents;
    // Per-day display rounding; period totals are rounded from the summed micro-units instead.
    r.tokenSpendCents += microsToCents(s.tokenSpendMicros);
    r.gpuHours += s.gpuMilliHours / 1000;
    r.inputTokens += Number(s.inputTokens);
    r.outputTokens += Number(s.outputTokens);
    days.set(day, r);
  }
  const lines = (dimension: string): SpendLine[] =>
    breakdowns
      .filter((b) => b.dimension === dimension)
      .map((b) => ({ value: b.value, tokenSpendCents: microsToCents(b._sum.tokenSpendMicros ?? 0n), inputTokens: Number(b._sum.inputTokens ?? 0n), outputTokens: Number(b._sum.outputTokens ?? 0n), requests: b._sum.requests ?? 0 }))
      .sort((a, b) => b.tokenSpendCents - a.tokenSpendCents);
  const gpuByModel = new Map(breakdowns.filter((b) => b.dimension === "gpu-model").map((b) => [b.value, b._sum.gpuCostCents ?? 0]));
  const [utilization, tokens, prices] = await Promise.all([
    hooks.gpuUtilizationPct?.(tenantId, period) ?? Promise.resolve(null),
    hooks.outputTokensByModel?.(tenantId, period) ?? Promise.resolve(new Map<string, number>()),
    hooks.listPricePerMillionOutputCents?.() ?? Promise.resolve(new Map<string, number>()),
  ]);
  const window = budgetWindowAt(tenant.litellmSyncedAt ?? tenant.createdAt, tenant.budgetDuration, now);
  let cumulative = 0n;
  const timeline = snapshots.filter((s) => s.source === "litellm").map((s) => ((cumulative += s.tokenSpendMicros), { day: isoDay(s.day), cumulativeTokenSpendCents: microsToCents(cumulative) }));
  return {
    tenant: { id: tenant.id, displayName: tenant.displayName, costCenter: tenant.costCenter },
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    daily: [...days.values()],
    spendByModel: lines("model"),
    spendByKey: lines("key"),
    spendByUser: lines("user"),
    gpu: { hoursRequested: [...days.values()].reduce((s, d) => s + d.gpuHours, 0), utilizationPct: utilization },
    unitEconomics: unitEconomics(gpuByModel, tokens, prices),
    budget: {
      budgetCents: tenant.monthlyBudgetCents,
      duration: tenant.budgetDuration,
      windowStart: window.start.toISOString(),
      resetsAt: window.resetsAt.toISOString(),
      resetsInDays: window.resetsInDays,
      timeline,
      crossings: alerts.map((a) => ({ periodStart: a.periodStart.toISOString(), thresholdPct: a.thresholdPct, crossedAt: a.crossedAt.toISOString(), deliveryStatus: a.deliveryStatus })),
    },
  };
}
export type TenantCostPage = NonNullable<Awaited<ReturnType<typeof tenantCostPage>>>;
