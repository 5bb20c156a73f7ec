import type { Db } from "@/lib/db/client";
import { budgetWindowAt } from "./budget-window";
import { microsToCents } from "./money";
import type { SpendTotals } from "./token-spend";
import type { LiveToday } from "./live-today";
import { isoDay, startOfUtcDay, type Period } from "./period";

/** `live` marks today's row: figures so far, not a stored closed day. */
export type DailyRow = { day: string; gpuCents: number; cpuCents: number; ramCents: number; pvCents: number; idleShareCents: number; tokenSpendCents: number; gpuHours: number; inputTokens: number; outputTokens: number; live?: boolean };
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

/**
 * Hooks for live figures from Prometheus (DCGM, vLLM counters) and LiteLLM list prices
 * (`defaultCostHooks()` wires the real ones). A hook that cannot answer throws; the page then shows
 * "not available: <reason>" with the error's message, never a made-up zero.
 */
export type TenantPageHooks = {
  gpuUtilizationPct?: (tenantId: string, period: Period) => Promise<number | null>;
  outputTokensByModel?: (tenantId: string, period: Period) => Promise<Map<string, number>>;
  listPricePerMillionOutputCents?: () => Promise<Map<string, number>>;
};

/**
 * One tenant's cost page from stored snapshots, plus today's live figures when `live` is given
 * and the period contains today (a daily row and timeline point marked `live`). The caller
 * authorizes `cost.view-tenant` for this tenant first; every query here carries the tenant id.
 */
/** A hook's answer, or why there is none (missing hook = "not configured"). */
async function attempt<T>(hook: (() => Promise<T>) | undefined, what: string): Promise<{ value: T | null; unavailable: string | null }> {
  if (!hook) return { value: null, unavailable: `${what} is not configured` };
  try {
    return { value: await hook(), unavailable: null };
  } catch (error) {
    return { value: null, unavailable: (error as Error).message?.slice(0, 300) || `${what} failed` };
  }
}

export async function tenantCostPage(db: Db, tenantId: string, period: Period, hooks: TenantPageHooks = {}, now = new Date(), live: LiveToday | null = null) {
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
  // Micro-units summed (stored days + today's live part) before the one rounding to cents.
  const lines = (dimension: string, liveLines?: Map<string, SpendTotals>): SpendLine[] => {
    const acc = new Map<string, SpendTotals>();
    for (const b of breakdowns.filter((x) => x.dimension === dimension)) {
      acc.set(b.value, { spendMicros: b._sum.tokenSpendMicros ?? 0n, inputTokens: b._sum.inputTokens ?? 0n, outputTokens: b._sum.outputTokens ?? 0n, requests: b._sum.requests ?? 0 });
    }
    for (const [value, l] of liveLines ?? []) {
      const a = acc.get(value) ?? { spendMicros: 0n, inputTokens: 0n, outputTokens: 0n, requests: 0 };
      acc.set(value, { spendMicros: a.spendMicros + l.spendMicros, inputTokens: a.inputTokens + l.inputTokens, outputTokens: a.outputTokens + l.outputTokens, requests: a.requests + l.requests });
    }
    return [...acc]
      .map(([value, t]) => ({ value, tokenSpendCents: microsToCents(t.spendMicros), inputTokens: Number(t.inputTokens), outputTokens: Number(t.outputTokens), requests: t.requests }))
      .sort((a, b) => b.tokenSpendCents - a.tokenSpendCents);
  };
  const gpuByModel = new Map(breakdowns.filter((b) => b.dimension === "gpu-model").map((b) => [b.value, b._sum.gpuCostCents ?? 0]));
  const today = isoDay(startOfUtcDay(now));
  const liveHere = live && live.day === today && period.start <= now && now < period.end ? live : null;
  const liveSpend = liveHere?.spend.status === "ok" ? liveHere.spend.data.get(tenantId) : undefined;
  if (liveHere) {
    const r: DailyRow = { day: today, gpuCents: 0, cpuCents: 0, ramCents: 0, pvCents: 0, idleShareCents: 0, tokenSpendCents: 0, gpuHours: 0, inputTokens: 0, outputTokens: 0, live: true };
    const infra = liveHere.infra.status === "ok" ? liveHere.infra.data : null;
    const row = infra?.rows.find((x) => x.tenantId === tenantId);
    if (row) Object.assign(r, { gpuCents: row.gpuCostCents, cpuCents: row.cpuCostCents, ramCents: row.ramCostCents, pvCents: row.pvCostCents, idleShareCents: row.idleShareCents, gpuHours: row.gpuMilliHours / 1000 });
    for (const m of infra?.byModel ?? []) if (m.namespace === tenantId) gpuByModel.set(m.model, (gpuByModel.get(m.model) ?? 0) + m.gpuCostCents);
    if (liveSpend) Object.assign(r, { tokenSpendCents: microsToCents(liveSpend.spendMicros), inputTokens: Number(liveSpend.inputTokens), outputTokens: Number(liveSpend.outputTokens) });
    days.set(today, r);
  }
  const [utilization, tokens, prices] = await Promise.all([
    attempt(hooks.gpuUtilizationPct && (() => hooks.gpuUtilizationPct!(tenantId, period)), "GPU utilization (DCGM)"),
    attempt(hooks.outputTokensByModel && (() => hooks.outputTokensByModel!(tenantId, period)), "Output tokens served (vLLM)"),
    attempt(hooks.listPricePerMillionOutputCents, "List prices (LiteLLM)"),
  ]);
  const window = budgetWindowAt(tenant.litellmSyncedAt ?? tenant.createdAt, tenant.budgetDuration, now);
  let cumulative = 0n;
  const timeline: Array<{ day: string; cumulativeTokenSpendCents: number; live?: boolean }> = snapshots
    .filter((s) => s.source === "litellm")
    .map((s) => ((cumulative += s.tokenSpendMicros), { day: isoDay(s.day), cumulativeTokenSpendCents: microsToCents(cumulative) }));
  if (liveSpend) timeline.push({ day: today, cumulativeTokenSpendCents: microsToCents(cumulative + liveSpend.spendMicros), live: true });
  return {
    tenant: { id: tenant.id, displayName: tenant.displayName, costCenter: tenant.costCenter },
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    daily: [...days.values()],
    spendByModel: lines("model", liveSpend?.byModel),
    spendByKey: lines("key", liveSpend?.byKey),
    spendByUser: lines("user", liveSpend?.byUser),
    live: liveHere ? { day: liveHere.day, asOf: liveHere.asOf, infra: liveHere.infra.status === "ok" ? null : liveHere.infra.reason, spend: liveHere.spend.status === "ok" ? null : liveHere.spend.reason } : null,
    gpu: { hoursRequested: [...days.values()].reduce((s, d) => s + d.gpuHours, 0), utilizationPct: utilization.value, utilizationUnavailable: utilization.unavailable },
    unitEconomics: unitEconomics(gpuByModel, tokens.value ?? new Map(), prices.value ?? new Map()),
    /** Why a unit-economics column is empty: "not available: <reason>". */
    unitEconomicsUnavailable: { outputTokens: tokens.unavailable, listPrices: prices.unavailable },
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
