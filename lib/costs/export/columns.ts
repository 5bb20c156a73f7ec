/**
 * The stable columns of cost exports, in order (documented in COLUMNS.md). Appending a column at
 * the end is compatible; renaming, removing or reordering one breaks finance's spreadsheets and
 * needs a new export version.
 */
export const TENANT_COLUMNS = [
  "tenant",
  "cost_center",
  "period_start",
  "period_end",
  "gpu_hours",
  "gpu_cost",
  "cpu_cost",
  "ram_cost",
  "pv_cost",
  "idle_share_cost",
  "token_spend",
  "input_tokens",
  "output_tokens",
  "budget",
  "budget_used_pct",
  "currency",
] as const;

/** Daily rows: `date` after `cost_center`; the period of a row is that one day. */
export const DAILY_COLUMNS = [...TENANT_COLUMNS.slice(0, 2), "date", ...TENANT_COLUMNS.slice(2)] as const;

export type TenantColumn = (typeof TENANT_COLUMNS)[number];
export type DailyColumn = (typeof DAILY_COLUMNS)[number];
