import { z } from "zod";
import type { CostsTableRow } from "@/lib/costs/costs-table";
import { isoDay, resolvePeriod, type Period, type PeriodSpec } from "@/lib/costs/period";
import { AppError } from "@/lib/http/errors";

/**
 * The cost pages' URL: `period=this-month|last-month|custom`, for custom `from` and `to` (both
 * YYYY-MM-DD, `to` inclusive as people read a date range), `sort`/`dir` and a text filter `q`.
 * Everything is in the query string so a view can be bookmarked, shared and exported as seen.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const periodQuerySchema = z.object({
  period: z.enum(["this-month", "last-month", "custom"]).default("this-month"),
  from: z.string().regex(DAY, "must be YYYY-MM-DD").optional(),
  to: z.string().regex(DAY, "must be YYYY-MM-DD").optional(),
});

export type SearchParamsLike = { get(name: string): string | null };

/** Accepts Next's page `searchParams` object as well as URLSearchParams. */
export function toSearchParams(input: Record<string, string | string[] | undefined> | URLSearchParams): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    // A repeated parameter is ambiguous; the first one wins, as URLSearchParams.get does.
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(key, first);
  }
  return params;
}

const pick = (params: SearchParamsLike, name: string) => params.get(name) ?? undefined;

/** The period spec of the URL (validation errors become a 422 with field messages). */
export function periodSpecFromQuery(params: SearchParamsLike): PeriodSpec {
  // The period form always submits its date fields, empty unless a custom range is chosen: the
  // days only count for a custom period, and an empty field is an absent one.
  const day = (name: string) => (pick(params, "period") === "custom" ? pick(params, name) || undefined : undefined);
  const parsed = periodQuerySchema.safeParse({ period: pick(params, "period"), from: day("from"), to: day("to") });
  if (!parsed.success) throw new AppError("validation", "Invalid period", { period: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
  const q = parsed.data;
  if (q.period !== "custom") return { kind: q.period };
  if (!q.from || !q.to) throw new AppError("validation", "A custom period needs from and to", { from: q.from ? [] : ["required"], to: q.to ? [] : ["required"] });
  const inclusiveEnd = new Date(`${q.to}T00:00:00Z`);
  if (Number.isNaN(inclusiveEnd.getTime())) throw new AppError("validation", "Invalid period", { to: ["not a calendar day"] });
  return { kind: "custom", start: q.from, end: isoDay(new Date(inclusiveEnd.getTime() + 86_400_000)) };
}

/** The resolved period of the URL; impossible days or spans become a 422, not a 500. */
export function periodFromQuery(params: SearchParamsLike, now = new Date()): Period {
  const spec = periodSpecFromQuery(params);
  try {
    return resolvePeriod(spec, now);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("validation", "Invalid period", { period: [error.message] });
    throw error;
  }
}

/** The query string that reproduces a period (for links, exports and the statement). */
export function periodQuery(period: Period): Record<string, string> {
  if (period.kind !== "custom") return { period: period.kind };
  return { period: "custom", from: isoDay(period.start), to: isoDay(new Date(period.end.getTime() - 86_400_000)) };
}

/** `month=YYYY-MM` of the statement → that calendar month in UTC; defaults to last month. */
export function statementMonth(params: SearchParamsLike, now = new Date()): Period {
  const month = params.get("month");
  if (month === null) return resolvePeriod({ kind: "last-month" }, now);
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new AppError("validation", "Invalid month", { month: ["must be YYYY-MM"] });
  const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return { kind: "custom", start, end: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)) };
}

/** Columns the Costs table sorts by: a typo in the URL falls back to the default, never a 500. */
export const SORT_KEYS = [
  "tenant",
  "costCenter",
  "gpuHours",
  "gpuCents",
  "cpuCents",
  "ramCents",
  "pvCents",
  "idleShareCents",
  "infraCents",
  "tokenSpendCents",
  "totalCents",
  "budgetCents",
  "budgetUsedPct",
  "forecastCents",
  "changePct",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export type TableQuery = { sort: SortKey; dir: SortDir; q: string };

const MAX_FILTER = 100;

export function tableQueryFromParams(params: SearchParamsLike): TableQuery {
  const sort = params.get("sort");
  const dir = params.get("dir");
  const validSort = (SORT_KEYS as readonly string[]).includes(sort ?? "") ? (sort as SortKey) : "totalCents";
  return {
    sort: validSort,
    // Money columns read best largest first; names alphabetically.
    dir: dir === "asc" || dir === "desc" ? dir : validSort === "tenant" || validSort === "costCenter" ? "asc" : "desc",
    q: (params.get("q") ?? "").trim().slice(0, MAX_FILTER),
  };
}

function sortValue(row: CostsTableRow, key: SortKey): string | number | null {
  switch (key) {
    case "tenant":
      return row.displayName.toLowerCase();
    case "costCenter":
      return row.costCenter?.toLowerCase() ?? null;
    case "forecastCents":
      return row.forecast.forecastCents;
    default:
      return row[key];
  }
}

/** Case-insensitive substring on tenant id, display name or cost center. */
export function matchesFilter(row: Pick<CostsTableRow, "tenantId" | "displayName" | "costCenter">, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [row.tenantId, row.displayName, row.costCenter ?? ""].some((v) => v.toLowerCase().includes(needle));
}

/**
 * Filters and sorts rows; blanks (no budget, no previous period) sort last in either direction,
 * and ties fall back to the tenant id so the order is stable across requests.
 */
export function applyTableQuery<R extends CostsTableRow>(rows: readonly R[], query: TableQuery): R[] {
  const factor = query.dir === "asc" ? 1 : -1;
  return rows
    .filter((r) => matchesFilter(r, query.q))
    .sort((a, b) => {
      const va = sortValue(a, query.sort);
      const vb = sortValue(b, query.sort);
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      if (va !== null && vb !== null && va !== vb) return (va < vb ? -1 : 1) * factor;
      return a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0;
    });
}
