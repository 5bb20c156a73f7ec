import { badRequest } from "./errors";
import { tokenFor } from "./key-secret";
import type { SpendLogRow } from "./state-schema";
import type { LiteLLMStore } from "./store";

/** LiteLLM's /global/spend/report `group_by` values (a FastAPI Literal: others get rejected). */
const GROUP_BY = ["team", "customer", "api_key"] as const;
type GroupBy = (typeof GROUP_BY)[number];

interface ReportQuery {
  start: Date;
  end: Date;
  groupBy: string;
  apiKey: string | null;
}

/**
 * LiteLLM filters `startTime >= start_date AND startTime <= end_date`, both at
 * midnight: the end date itself is effectively excluded. Reproduced on
 * purpose, so a portal that wants "today" learns to pass tomorrow here too.
 */
export function inDateRange(row: SpendLogRow, start: Date, end: Date): boolean {
  const t = new Date(row.startTime).getTime();
  return t >= start.getTime() && t <= end.getTime();
}

const sum = (rows: readonly SpendLogRow[], pick: (r: SpendLogRow) => number) => rows.reduce((t, r) => t + pick(r), 0);

function groupRows<K>(rows: readonly SpendLogRow[], keyOf: (r: SpendLogRow) => K): Map<K, SpendLogRow[]> {
  const groups = new Map<K, SpendLogRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/** Per api_key: totals plus a per-model breakdown, most expensive key first. */
function byApiKey(rows: readonly SpendLogRow[]) {
  return [...groupRows(rows, (r) => r.api_key).entries()]
    .map(([apiKey, keyRows]) => ({
      api_key: apiKey,
      total_cost: sum(keyRows, (r) => r.spend),
      total_input_tokens: sum(keyRows, (r) => r.prompt_tokens),
      total_output_tokens: sum(keyRows, (r) => r.completion_tokens),
      model_details: [...groupRows(keyRows, (r) => r.model).entries()].map(([model, m]) => ({
        model,
        total_cost: sum(m, (r) => r.spend),
        total_input_tokens: sum(m, (r) => r.prompt_tokens),
        total_output_tokens: sum(m, (r) => r.completion_tokens),
      })),
    }))
    .sort((a, b) => b.total_cost - a.total_cost);
}

/** Per day, per team (or customer): total spend and a (model, api_key) breakdown. */
function byDay(rows: readonly SpendLogRow[], nameOf: (r: SpendLogRow) => string, listField: "teams" | "customers", nameField: "team_name" | "customer") {
  const days = groupRows(rows, (r) => r.startTime.slice(0, 10));
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, dayRows]) => ({
      group_by_day: `${day}T00:00:00+00:00`,
      [listField]: [...groupRows(dayRows, nameOf).entries()].map(([name, groupRowsOfDay]) => ({
        [nameField]: name,
        total_spend: sum(groupRowsOfDay, (r) => r.spend),
        metadata: [...groupRows(groupRowsOfDay, (r) => `${r.model}\u0000${r.api_key}`).values()].map((m) => ({
          model: m[0]!.model,
          api_key: m[0]!.api_key,
          spend: sum(m, (r) => r.spend),
          total_tokens: sum(m, (r) => r.total_tokens),
        })),
      })),
    }));
}

/**
 * Shapes follow LiteLLM's get_global_spend_report. The date window is LiteLLM's
 * `startTime BETWEEN start::date AND end::date` (end date at midnight).
 * LiteLLM gates this endpoint behind an enterprise license; the sandbox does not.
 */
export function spendReport(store: LiteLLMStore, query: ReportQuery) {
  if (!GROUP_BY.includes(query.groupBy as GroupBy)) {
    throw badRequest(`group_by must be one of ${GROUP_BY.join(", ")}`, "group_by");
  }
  const rows = store.spendLogRows().filter((r) => inDateRange(r, query.start, query.end));
  if (query.apiKey) return byApiKey(rows.filter((r) => r.api_key === tokenFor(query.apiKey!)));
  switch (query.groupBy as GroupBy) {
    case "api_key":
      return byApiKey(rows);
    case "customer":
      return byDay(rows, (r) => r.end_user ?? "", "customers", "customer");
    case "team": {
      const aliasOf = (teamId: string | null) => (teamId ? store.getTeam(teamId)?.team_alias : null) ?? "Unassigned Team";
      return byDay(rows, (r) => aliasOf(r.team_id), "teams", "team_name");
    }
  }
}
