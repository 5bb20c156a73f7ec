import type { SnapshotSums } from "@/lib/costs/costs-table";
import type { IdleSharing } from "@/lib/costs/infra-source";
import { microsToCents, percentOf, sumCents } from "@/lib/costs/money";
import { isoDay, startOfUtcDay, type Period } from "@/lib/costs/period";
import type { DailyRow } from "@/lib/costs/tenant-cost-page";

export type StatementLine = { key: "gpu" | "cpu" | "ram" | "pv" | "idle" | "tokens"; label: string; cents: number };

export type Statement = {
  tenant: { id: string; displayName: string; costCenter: string | null };
  month: string;
  period: { start: string; end: string };
  /** False while the month is still running: the figures cover only its closed days. */
  closed: boolean;
  currency: string;
  idleSharing: IdleSharing;
  generatedAt: string;
  lines: StatementLine[];
  infraCents: number;
  totalCents: number;
  budgetCents: number;
  budgetUsedPct: number | null;
  daily: DailyRow[];
};

/**
 * A tenant's monthly statement from stored closed days. Category totals come from the period's
 * summed snapshots, so token spend is rounded once on the month's micro-units; the daily table
 * rounds each day on its own and is labelled so (its token column may differ by ½ cent a day).
 */
export function buildStatement(input: {
  tenant: Statement["tenant"];
  period: Period;
  sums: SnapshotSums | undefined;
  daily: DailyRow[];
  budgetCents: number;
  currency: string;
  idleSharing: IdleSharing;
  now: Date;
}): Statement {
  const s = input.sums;
  const tokens = microsToCents(s?.tokenSpendMicros ?? 0n);
  const lines: StatementLine[] = [
    { key: "gpu", label: "GPU", cents: s?.gpuCents ?? 0 },
    { key: "cpu", label: "CPU", cents: s?.cpuCents ?? 0 },
    { key: "ram", label: "Memory", cents: s?.ramCents ?? 0 },
    { key: "pv", label: "Storage", cents: s?.pvCents ?? 0 },
    { key: "idle", label: "Share of idle GPU", cents: s?.idleShareCents ?? 0 },
    { key: "tokens", label: "Token spend (LiteLLM)", cents: tokens },
  ];
  const infraCents = sumCents(lines.filter((l) => l.key !== "tokens").map((l) => l.cents));
  return {
    tenant: input.tenant,
    month: isoDay(input.period.start).slice(0, 7),
    period: { start: isoDay(input.period.start), end: isoDay(input.period.end) },
    closed: input.period.end <= startOfUtcDay(input.now),
    currency: input.currency,
    idleSharing: input.idleSharing,
    generatedAt: input.now.toISOString(),
    lines,
    infraCents,
    totalCents: infraCents + tokens,
    budgetCents: input.budgetCents,
    budgetUsedPct: percentOf(tokens, input.budgetCents),
    // Only stored days: a statement never mixes in today's live, still-moving figures.
    daily: input.daily.filter((d) => !d.live),
  };
}
