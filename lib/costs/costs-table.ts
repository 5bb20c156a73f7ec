import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { forecastEndOfPeriod, type Forecast } from "./forecast";
import { OTHER } from "./infra-day";
import { IDLE, type IdleSharing } from "./infra-source";
import { microsToCents, percentOf, sumCents } from "./money";
import { closedDays, previousPeriod, type Period } from "./period";
import { reconcile, type Reconciliation } from "./reconcile";
import { CLUSTER } from "./snapshot-job";

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
};

export type CostsTable = {
  period: { start: string; end: string; kind: Period["kind"] };
  currency: string;
  idleSharing: IdleSharing;
  /** Closed days only: today's partial figures are not in the stored snapshots. */
  throughDay: string | null;
  rows: CostsTableRow[];
  totals: Omit<CostsTableRow, "tenantId" | "displayName" | "costCenter" | "forecast" | "changePct" | "budgetUsedPct" | "previousTotalCents">;
  reconciliation: Reconciliation;
};

type TenantInfo = { id: string; displayName: string; costCenter: string | null; monthlyBudgetCents: number; createdAt: Date };

const infraOf = (s: SnapshotSums) => s.gpuCents + s.cpuCents + s.ramCents + s.pvCents + s.idleShareCents;
const totalOf = (s: SnapshotSums) => infraOf(s) + microsToCents(s.tokenSpendMicros);

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
}): CostsTable {
  const zero = (tenantId: string): SnapshotSums => ({ tenantId, gpuMilliHours: 0, gpuCents: 0, cpuCents: 0, ramCents: 0, pvCents: 0, idleShareCents: 0, tokenSpendMicros: 0n, inputTokens: 0n, outputTokens: 0n });
  const rows = input.tenants.map((t): CostsTableRow => {
    const s = input.current.get(t.id) ?? zero(t.id);
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
      forecast: forecastEndOfPeriod({ period: input.period, now: input.now, tenantCreatedAt: t.createdAt, closedSpendCents: totalCents }),
      previousTotalCents,
      changePct: previousTotalCents === 0 ? null : percentOf(totalCents - previousTotalCents, previousTotalCents),
    };
  });
  const sum = (pick: (r: CostsTableRow) => number) => sumCents(rows.map(pick));
  const other = input.current.get(OTHER) ?? zero(OTHER);
  const idle = input.current.get(IDLE) ?? zero(IDLE);
  const closed = closedDays(input.period, input.now);
  return {
    period: { start: input.period.start.toISOString(), end: input.period.end.toISOString(), kind: input.period.kind },
    currency: input.currency,
    idleSharing: input.idleSharing,
    throughDay: closed.at(-1)?.toISOString().slice(0, 10) ?? null,
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
      clusterTotalCents: input.clusterTotalCents,
      roundedTerms: input.roundedTerms,
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
 * The finance table for a period, from stored snapshots (closed days). Authorization
 * (`cost.view-all`) is the caller's gate; this reads every tenant.
 */
export async function costsTable(db: Db, opts: { period: Period; idleSharing?: IdleSharing; now?: Date; currency?: string }): Promise<CostsTable> {
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
  });
}
