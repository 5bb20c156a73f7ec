import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { forecastEndOfPeriod, type Forecast } from "./forecast";
import { OTHER } from "./infra-day";
import { IDLE, type IdleSharing } from "./infra-source";
import { microsToCents, percentOf, sumCents } from "./money";
import { closedDays, isoDay, previousPeriod, startOfUtcDay, type Period } from "./period";
import { reconcile, type Reconciliation } from "./reconcile";
import { CLUSTER } from "./snapshot-job";
import type { LiveToday } from "./live-today";

/** Sums of a tenant's snapshot rows over a period (what the database aggregates). */
export type SnapshotSums = {
  tenantId: string;
  gpuMilliHours: number;
  gpuCents: number;
  cpuCents: number;
  ramCents: number;
  pvCents: number;
  idleShareCents: number;
  tokenSpendMicros: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
};

export type CostsTableRow = {
  tenantId: string;
  displayName: string;
  costCenter: string | null;
  gpuHours: number;
  gpuCents: number;
  cpuCents: number;
  ramCents: number;
  pvCents: number;
  idleShareCents: number;
  infraCents: number;
  tokenSpendCents: number;
  inputTokens: number;
  outputTokens: number;
  totalCents: number;
  budgetCents: number;
  /** Token spend ÷ budget (LiteLLM enforces the budget on token spend), null without a budget. */
  budgetUsedPct: number | null;
  forecast: Forecast;
  previousTotalCents: number;
  /** Change of the total vs the previous period, in percent; null when the previous was zero. */
  changePct: number | null;
  /** Today's live part of `totalCents` (included above), null when no live figure is merged. */
  liveTodayCents?: number | null;
};

/** What the table says about today's live figures: which sources answered, as of when. */
export type LiveMarker = {
  day: string;
  asOf: string;
  infra: { status: "ok" } | { status: "unavailable"; reason: string };
  spend: { status: "ok" } | { status: "unavailable"; reason: string };
};

export type CostsTable = {
  period: { start: string; end: string; kind: Period["kind"] };
  currency: string;
  idleSharing: IdleSharing;
  /** Last stored closed day: today's partial figures are never stored. */
  throughDay: string | null;
  /** Set when today's live figures are merged into the rows (the period contains today). */
  live: LiveMarker | null;
  rows: CostsTableRow[];
  totals: Omit<CostsTableRow, "tenantId" | "displayName" | "costCenter" | "forecast" | "changePct" | "budgetUsedPct" | "previousTotalCents" | "liveTodayCents">;
  reconciliation: Reconciliation;
};

type TenantInfo = { id: string; displayName: string; costCenter: string | null; monthlyBudgetCents: number; createdAt: Date };

const infraOf = (s: SnapshotSums) => s.gpuCents + s.cpuCents + s.ramCents + s.pvCents + s.idleShareCents;
const totalOf = (s: SnapshotSums) => infraOf(s) + microsToCents(s.tokenSpendMicros);
const zeroSums = (tenantId: string): SnapshotSums => ({ tenantId, gpuMilliHours: 0, gpuCents: 0, cpuCents: 0, ramCents: 0, pvCents: 0, idleShareCents: 0, tokenSpendMicros: 0n, inputTokens: 0n, outputTokens: 0n });
const plus = (a: SnapshotSums, b: SnapshotSums | undefined): SnapshotSums =>
  !b
    ? a
    : {
        tenantId: a.tenantId,
        gpuMilliHours: a.gpuMilliHours + b.gpuMilliHours,
        gpuCents: a.gpuCents + b.gpuCents,
        cpuCents: a.cpuCents + b.cpuCents,
        ramCents: a.ramCents + b.ramCents,
        pvCents: a.pvCents + b.pvCents,
        idleShareCents: a.idleShareCents + b.idleShareCents,
        tokenSpendMicros: a.tokenSpendMicros + b.tokenSpendMicros,
        inputTokens: a.inputTokens + b.inputTokens,
        outputTokens: a.outputTokens + b.outputTokens,
      };

/** Today's live figures in the shape of stored sums, for merging into a period that contains today. */
export type LiveSums = { marker: LiveMarker; sums: Map<string, SnapshotSums>; clusterTotalCents: number; roundedTerms: number };

/**
 * LiveToday → sums per tenant (plus "__other__" and "__idle__"), with the same per-category cents
 * rounding as a stored day, so tenants + other + idle = cluster holds for the live part too.
 */
export function liveSums(live: LiveToday): LiveSums {
  const sums = new Map<string, SnapshotSums>();
  const at = (id: string) => sums.get(id) ?? zeroSums(id);
  let clusterTotalCents = 0;
  let roundedTerms = 0;
  if (live.infra.status === "ok") {
    for (const r of live.infra.data.rows) {
      sums.set(r.tenantId, plus(at(r.tenantId), { ...zeroSums(r.tenantId), gpuMilliHours: r.gpuMilliHours, gpuCents: r.gpuCostCents, cpuCents: r.cpuCostCents, ramCents: r.ramCostCents, pvCents: r.pvCostCents, idleShareCents: r.idleShareCents }));
    }
    clusterTotalCents = live.infra.data.clusterTotalCents;
    roundedTerms = 4 * (live.infra.data.rows.length + 1);
  }
  if (live.spend.status === "ok") {
    for (const [team, t] of live.spend.data) sums.set(team, plus(at(team), { ...zeroSums(team), tokenSpendMicros: t.spendMicros, inputTokens: t.inputTokens, outputTokens: t.outputTokens }));
  }
  const status = (r: LiveToday["infra"] | LiveToday["spend"]) => (r.status === "ok" ? { status: "ok" as const } : { status: "unavailable" as const, reason: r.reason });
  return { marker: { day: live.day, asOf: live.asOf, infra: status(live.infra), spend: status(live.spend) }, sums, clusterTotalCents, roundedTerms };
}

/** The table from already-summed snapshots: pure, so its arithmetic is testable to the cent. */
export function buildCostsTable(input: {
  period: Period;
  now: Date;
  currency: string;
  idleSharing: IdleSharing;
  tenants: TenantInfo[];
  current: Map<string, SnapshotSums>;
  previous: Map<string, SnapshotSums>;
  clusterTotalCents: number;
  /** Namespaces × days × 4 categories rounded at ingestion, plus the cluster's own. */
  roundedTerms: number;
  /** Today's live figures; merged only when the period contains today. */
  live?: LiveSums | null;
}): CostsTable {
  const zero = zeroSums;
  const today = isoDay(startOfUtcDay(input.now));
  const live = input.live && input.live.marker.day === today && input.period.start <= input.now && input.now < input.period.end ? input.live : null;
  const rows = input.tenants.map((t): CostsTableRow => {
    const closedSums = input.current.get(t.id) ?? zero(t.id);
    const s = plus(closedSums, live?.sums.get(t.id));
    const prev = input.previous.get(t.id) ?? zero(t.id);
    const tokenSpendCents = microsToCents(s.tokenSpendMicros);
    const totalCents = totalOf(s);
    const previousTotalCents = totalOf(prev);
    return {
      tenantId: t.id,
      displayName: t.displayName,
      costCenter: t.costCenter,
      gpuHours: s.gpuMilliHours / 1000,
      gpuCents: s.gpuCents,
      cpuCents: s.cpuCents,
      ramCents: s.ramCents,
      pvCents: s.pvCents,
      idleShareCents: s.idleShareCents,
      infraCents: infraOf(s),
      tokenSpendCents,
      inputTokens: Number(s.inputTokens),
      outputTokens: Number(s.outputTokens),
      totalCents,
      budgetCents: t.monthlyBudgetCents,
      budgetUsedPct: percentOf(tokenSpendCents, t.monthlyBudgetCents),
      // The run rate is over closed days only: today's partial figure would skew it.
      forecast: forecastEndOfPeriod({ period: input.period, now: input.now, tenantCreatedAt: t.createdAt, closedSpendCents: totalOf(closedSums) }),
      previousTotalCents,
      changePct: previousTotalCents === 0 ? null : percentOf(totalCents - previousTotalCents, previousTotalCents),
      liveTodayCents: live ? totalCents - totalOf(closedSums) : null,
    };
  });
  const sum = (pick: (r: CostsTableRow) => number) => sumCents(rows.map(pick));
  const other = plus(input.current.get(OTHER) ?? zero(OTHER), live?.sums.get(OTHER));
  const idle = plus(input.current.get(IDLE) ?? zero(IDLE), live?.sums.get(IDLE));
  const closed = closedDays(input.period, input.now);
  return {
    period: { start: input.period.start.toISOString(), end: input.period.end.toISOString(), kind: input.period.kind },
    currency: input.currency,
    idleSharing: input.idleSharing,
    throughDay: closed.at(-1)?.toISOString().slice(0, 10) ?? null,
    live: live?.marker ?? null,
    rows,
    totals: {
      gpuHours: rows.reduce((s, r) => s + Math.round(r.gpuHours * 1000), 0) / 1000,
      gpuCents: sum((r) => r.gpuCents),
      cpuCents: sum((r) => r.cpuCents),
      ramCents: sum((r) => r.ramCents),
      pvCents: sum((r) => r.pvCents),
      idleShareCents: sum((r) => r.idleShareCents),
      infraCents: sum((r) => r.infraCents),
      tokenSpendCents: sum((r) => r.tokenSpendCents),
      inputTokens: rows.reduce((s, r) => s + r.inputTokens, 0),
      outputTokens: rows.reduce((s, r) => s + r.outputTokens, 0),
      totalCents: sum((r) => r.totalCents),
      budgetCents: sum((r) => r.budgetCents),
    },
    reconciliation: reconcile({
      tenantCents: rows.map((r) => r.infraCents),
      otherCents: infraOf(other),
      unallocatedIdleCents: infraOf(idle),
      clusterTotalCents: input.clusterTotalCents + (live?.clusterTotalCents ?? 0),
      roundedTerms: input.roundedTerms + (live?.roundedTerms ?? 0),
    }),
  };
}

/** Per-tenant sums of the stored days of [start, end), infrastructure and token spend together. */
export async function sumSnapshots(db: Db, range: { start: Date; end: Date }, tenantIds?: string[]): Promise<Map<string, SnapshotSums>> {
  const groups = await db.costSnapshot.groupBy({
    by: ["tenantId"],
    where: { day: { gte: range.start, lt: range.end }, tenantId: tenantIds ? { in: tenantIds } : { not: CLUSTER } },
    _sum: { gpuMilliHours: true, gpuCostCents: true, cpuCostCents: true, ramCostCents: true, pvCostCents: true, idleShareCents: true, tokenSpendMicros: true, inputTokens: true, outputTokens: true },
  });
  return new Map(
    groups.map((g) => [
      g.tenantId,
      {
        tenantId: g.tenantId,
        gpuMilliHours: g._sum.gpuMilliHours ?? 0,
        gpuCents: g._sum.gpuCostCents ?? 0,
        cpuCents: g._sum.cpuCostCents ?? 0,
        ramCents: g._sum.ramCostCents ?? 0,
        pvCents: g._sum.pvCostCents ?? 0,
        idleShareCents: g._sum.idleShareCents ?? 0,
        tokenSpendMicros: g._sum.tokenSpendMicros ?? 0n,
        inputTokens: g._sum.inputTokens ?? 0n,
        outputTokens: g._sum.outputTokens ?? 0n,
      },
    ]),
  );
}

/**
 * The finance table for a period, from stored snapshots (closed days) plus, when given and the
 * period contains today, today's live figures (`liveTodayFromEnv(db)`), marked in `live`.
 * Authorization (`cost.view-all`) is the caller's gate; this reads every tenant.
 */
export async function costsTable(db: Db, opts: { period: Period; idleSharing?: IdleSharing; now?: Date; currency?: string; live?: LiveToday | null }): Promise<CostsTable> {
  const now = opts.now ?? new Date();
  const config = opts.idleSharing && opts.currency ? null : env();
  const prev = previousPeriod(opts.period);
  const [tenants, current, previous, cluster, namespaceDays] = await Promise.all([
    db.tenant.findMany({ select: { id: true, displayName: true, costCenter: true, monthlyBudgetCents: true, createdAt: true }, orderBy: { id: "asc" } }),
    sumSnapshots(db, opts.period),
    sumSnapshots(db, prev),
    db.costSnapshot.aggregate({ where: { tenantId: CLUSTER, source: "opencost", day: { gte: opts.period.start, lt: opts.period.end } }, _sum: { gpuCostCents: true }, _count: true }),
    db.costSnapshot.count({ where: { source: "opencost", tenantId: { not: CLUSTER }, day: { gte: opts.period.start, lt: opts.period.end } } }),
  ]);
  return buildCostsTable({
    period: opts.period,
    now,
    currency: opts.currency ?? config!.COST_CURRENCY,
    idleSharing: opts.idleSharing ?? config!.COST_IDLE_SHARING,
    tenants,
    current,
    previous,
    clusterTotalCents: cluster._sum.gpuCostCents ?? 0,
    roundedTerms: 4 * (namespaceDays + cluster._count),
    live: opts.live ? liveSums(opts.live) : null,
  });
}
