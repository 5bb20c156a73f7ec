import { z } from "zod";

/**
 * Cost periods are half-open UTC intervals [start, end) whose bounds are midnights, so a day
 * belongs to exactly one period whatever the viewer's timezone (finance closes months in UTC).
 */
export type Period = { kind: "this-month" | "last-month" | "custom"; start: Date; end: Date };

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const startOfUtcDay = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export const periodSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("this-month") }),
  z.object({ kind: z.literal("last-month") }),
  z.object({
    kind: z.literal("custom"),
    start: z.string().regex(ISO_DAY, "must be YYYY-MM-DD"),
    /** Exclusive: the first day NOT in the period. */
    end: z.string().regex(ISO_DAY, "must be YYYY-MM-DD"),
  }),
]);
export type PeriodSpec = z.infer<typeof periodSpecSchema>;

/** Longest custom period, so one request cannot ask for decades of daily rows. */
export const MAX_PERIOD_DAYS = 400;

function parseDay(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  // `2025-02-30` parses to March 2nd; refuse it instead of silently moving the period.
  if (Number.isNaN(date.getTime()) || isoDay(date) !== value) throw new RangeError(`${field}: not a calendar day: ${value}`);
  return date;
}

export function resolvePeriod(spec: PeriodSpec = { kind: "this-month" }, now = new Date()): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (spec.kind) {
    case "this-month":
      return { kind: spec.kind, start: monthStart(y, m), end: monthStart(y, m + 1) };
    case "last-month":
      return { kind: spec.kind, start: monthStart(y, m - 1), end: monthStart(y, m) };
    case "custom": {
      const start = parseDay(spec.start, "start");
      const end = parseDay(spec.end, "end");
      if (end <= start) throw new RangeError("end: must be after start");
      if ((end.getTime() - start.getTime()) / DAY_MS > MAX_PERIOD_DAYS) throw new RangeError(`end: a period spans at most ${MAX_PERIOD_DAYS} days`);
      return { kind: spec.kind, start, end };
    }
  }
}

/** The period of the same length just before (for months: the previous calendar month). */
export function previousPeriod(period: Period): Period {
  if (period.kind !== "custom") {
    const s = period.start;
    return { kind: "custom", start: monthStart(s.getUTCFullYear(), s.getUTCMonth() - 1), end: period.start };
  }
  const length = period.end.getTime() - period.start.getTime();
  return { kind: "custom", start: new Date(period.start.getTime() - length), end: period.start };
}

export function dayCount(period: Pick<Period, "start" | "end">): number {
  return Math.round((period.end.getTime() - period.start.getTime()) / DAY_MS);
}

/** Every UTC day of the period, as midnights. */
export function daysOf(period: Pick<Period, "start" | "end">): Date[] {
  return Array.from({ length: dayCount(period) }, (_, i) => new Date(period.start.getTime() + i * DAY_MS));
}

/**
 * Where a tenant's run rate starts: the period start, or the day the tenant was created if that is
 * later (a tenant created on the 20th has not been spending since the 1st, and averaging over 19
 * empty days would understate its forecast). The creation day counts as a whole day.
 */
export function runRateStart(period: Pick<Period, "start" | "end">, tenantCreatedAt: Date): Date {
  const created = startOfUtcDay(tenantCreatedAt);
  return created > period.start ? (created < period.end ? created : period.end) : period.start;
}

/**
 * Closed days of the period at `now`: days that ended before today. Today is live (not snapshotted)
 * and partial, so it never counts towards a run rate.
 */
export function closedDays(period: Pick<Period, "start" | "end">, now: Date): Date[] {
  const today = startOfUtcDay(now);
  return daysOf(period).filter((d) => d < today);
}

export { DAY_MS };
