import type { Db } from "@/lib/db/client";
import { sumSnapshots } from "@/lib/costs/costs-table";
import { microsToCents, percentOf } from "@/lib/costs/money";
import { isoDay, type Period } from "@/lib/costs/period";
import { centsToDecimal, csvLine, milliToDecimal, percentToDecimal } from "./csv";
import { DAILY_COLUMNS, TENANT_COLUMNS } from "./columns";

export type ExportTenant = { id: string; costCenter: string | null; monthlyBudgetCents: number };

/** Tenants per database round trip; bounds what one batch holds (× days for daily rows). */
export const TENANT_BATCH = 50;

/**
 * Tenants in id order, a batch at a time (keyset pagination on the primary key), optionally
 * narrowed to some ids. Never loads the whole tenants table at once.
 */
export async function* tenantBatches(db: Db, opts: { tenantIds?: string[]; batchSize?: number } = {}): AsyncGenerator<ExportTenant[]> {
  const take = opts.batchSize ?? TENANT_BATCH;
  let after: string | undefined;
  for (;;) {
    const batch = await db.tenant.findMany({
      where: { ...(opts.tenantIds ? { id: { in: opts.tenantIds } } : {}), ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, costCenter: true, monthlyBudgetCents: true },
      orderBy: { id: "asc" },
      take,
    });
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < take) return;
    after = batch.at(-1)!.id;
  }
}

/** One row per tenant for the period (the Costs table), header first. */
export async function* tenantsCsvChunks(db: Db, input: { period: Period; currency: string; tenantIds?: string[]; batchSize?: number }): AsyncGenerator<string> {
  yield csvLine(TENANT_COLUMNS);
  const start = isoDay(input.period.start);
  const end = isoDay(input.period.end);
  for await (const batch of tenantBatches(db, input)) {
    const sums = await sumSnapshots(db, input.period, batch.map((t) => t.id));
    let chunk = "";
    for (const t of batch) {
      const s = sums.get(t.id);
      // Token spend is rounded to cents once, on the period's summed micro-units (the money rule).
      const tokenCents = microsToCents(s?.tokenSpendMicros ?? 0n);
      chunk += csvLine([
        t.id,
        t.costCenter,
        start,
        end,
        milliToDecimal(s?.gpuMilliHours ?? 0),
        centsToDecimal(s?.gpuCents ?? 0),
        centsToDecimal(s?.cpuCents ?? 0),
        centsToDecimal(s?.ramCents ?? 0),
        centsToDecimal(s?.pvCents ?? 0),
        centsToDecimal(s?.idleShareCents ?? 0),
        centsToDecimal(tokenCents),
        s?.inputTokens ?? 0n,
        s?.outputTokens ?? 0n,
        centsToDecimal(t.monthlyBudgetCents),
        percentToDecimal(percentOf(tokenCents, t.monthlyBudgetCents)),
        input.currency,
      ]);
    }
    yield chunk;
  }
}

type DayAcc = { gpuMilliHours: number; gpu: number; cpu: number; ram: number; pv: number; idle: number; micros: bigint; input: bigint; output: bigint };

const nextDay = (day: Date) => isoDay(new Date(day.getTime() + 86_400_000));

/**
 * Daily rows (one per tenant and stored day, both sources summed), tenant then date order.
 * A day's `period_start`/`period_end` are that day and the next midnight (exclusive end), and its
 * token spend is rounded on that day's micro-units, so daily rows may differ from the period
 * total by the rounding of each day (at most half a cent per day).
 */
export async function* dailyCsvChunks(db: Db, input: { period: Period; currency: string; tenantIds?: string[]; batchSize?: number }): AsyncGenerator<string> {
  yield csvLine(DAILY_COLUMNS);
  // Fewer tenants per batch than the period table: each brings up to two rows per day.
  for await (const batch of tenantBatches(db, { tenantIds: input.tenantIds, batchSize: input.batchSize ?? 10 })) {
    const rows = await db.costSnapshot.findMany({
      where: { tenantId: { in: batch.map((t) => t.id) }, day: { gte: input.period.start, lt: input.period.end } },
      select: { tenantId: true, day: true, gpuMilliHours: true, gpuCostCents: true, cpuCostCents: true, ramCostCents: true, pvCostCents: true, idleShareCents: true, tokenSpendMicros: true, inputTokens: true, outputTokens: true },
      orderBy: [{ tenantId: "asc" }, { day: "asc" }],
    });
    const byTenant = new Map(batch.map((t) => [t.id, t]));
    let chunk = "";
    let key = "";
    let acc: DayAcc | null = null;
    let current: { tenant: ExportTenant; day: Date } | null = null;
    const flush = () => {
      if (!acc || !current) return;
      const tokenCents = microsToCents(acc.micros);
      chunk += csvLine([
        current.tenant.id,
        current.tenant.costCenter,
        isoDay(current.day),
        isoDay(current.day),
        nextDay(current.day),
        milliToDecimal(acc.gpuMilliHours),
        centsToDecimal(acc.gpu),
        centsToDecimal(acc.cpu),
        centsToDecimal(acc.ram),
        centsToDecimal(acc.pv),
        centsToDecimal(acc.idle),
        centsToDecimal(tokenCents),
        acc.input,
        acc.output,
        centsToDecimal(current.tenant.monthlyBudgetCents),
        percentToDecimal(percentOf(tokenCents, current.tenant.monthlyBudgetCents)),
        input.currency,
      ]);
    };
    for (const r of rows) {
      const rowKey = `${r.tenantId}|${isoDay(r.day)}`;
      if (rowKey !== key) {
        flush();
        key = rowKey;
        current = { tenant: byTenant.get(r.tenantId)!, day: r.day };
        acc = { gpuMilliHours: 0, gpu: 0, cpu: 0, ram: 0, pv: 0, idle: 0, micros: 0n, input: 0n, output: 0n };
      }
      acc!.gpuMilliHours += r.gpuMilliHours;
      acc!.gpu += r.gpuCostCents;
      acc!.cpu += r.cpuCostCents;
      acc!.ram += r.ramCostCents;
      acc!.pv += r.pvCostCents;
      acc!.idle += r.idleShareCents;
      acc!.micros += r.tokenSpendMicros;
      acc!.input += r.inputTokens;
      acc!.output += r.outputTokens;
    }
    flush();
    if (chunk) yield chunk;
  }
}
