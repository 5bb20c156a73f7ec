import { badRequest } from "../errors";
import { tokenFor } from "../key-secret";
import type { Route } from "../route-types";
import type { SpendLogRow } from "../state-schema";
import { inDateRange, spendReport } from "../spend-report";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: string, name: string): Date {
  if (!DATE.test(value)) throw badRequest(`${name} must be YYYY-MM-DD`, name);
  return new Date(`${value}T00:00:00Z`);
}

/** LiteLLM's legacy summarize=true shape: one entry per day, spend by key, user and model. */
function summarizeByDay(rows: readonly SpendLogRow[], end: Date) {
  const days = new Map<string, Record<string, unknown> & { spend: number; users: Record<string, number>; models: Record<string, number> }>();
  for (const row of rows) {
    const day = row.startTime.slice(0, 10);
    const entry = days.get(day) ?? { users: {}, models: {}, spend: 0 };
    entry.spend += row.spend;
    entry[row.api_key] = ((entry[row.api_key] as number | undefined) ?? 0) + row.spend;
    const user = row.user ?? "";
    entry.users[user] = (entry.users[user] ?? 0) + row.spend;
    entry.models[row.model] = (entry.models[row.model] ?? 0) + row.spend;
    days.set(day, entry);
  }
  const sorted = [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
  const out: Array<Record<string, unknown>> = sorted.map(([day, v]) => ({ ...v, startTime: day }));
  // LiteLLM pads with zero days after the last day with data, up to end_date.
  const last = sorted.at(-1)?.[0];
  if (last) {
    for (let d = new Date(`${last}T00:00:00Z`); ; ) {
      d = new Date(d.getTime() + 86_400_000);
      if (d > end) break;
      out.push({ startTime: d.toISOString().slice(0, 10), spend: 0, users: {}, models: {} });
    }
  }
  return out;
}

export const spendRoutes: Route[] = [
  {
    method: "GET",
    path: "/spend/logs",
    auth: "master",
    handler({ url, store }) {
      const q = url.searchParams;
      const apiKey = q.get("api_key");
      const requestId = q.get("request_id");
      const userId = q.get("user_id");
      const startDate = q.get("start_date");
      const endDate = q.get("end_date");
      let rows = [...store.spendLogRows()];

      if (startDate && endDate) {
        const start = parseDate(startDate, "start_date");
        const end = parseDate(endDate, "end_date");
        rows = rows.filter((r) => inDateRange(r, start, end));
        // With dates LiteLLM compares api_key as given: pass the hash (token).
        if (apiKey) rows = rows.filter((r) => r.api_key === apiKey);
        else if (requestId) rows = rows.filter((r) => r.request_id === requestId);
        else if (userId) rows = rows.filter((r) => r.user === userId);
        if (q.get("summarize") === "false") {
          return { body: rows.sort((a, b) => b.startTime.localeCompare(a.startTime)) };
        }
        return { body: summarizeByDay(rows, end) };
      }

      if (apiKey) return { body: rows.filter((r) => r.api_key === tokenFor(apiKey)) };
      if (requestId) return { body: rows.filter((r) => r.request_id === requestId) };
      if (userId) return { body: rows.filter((r) => r.user === userId) };
      return { body: rows };
    },
  },
  {
    method: "GET",
    path: "/global/spend/report",
    auth: "master",
    handler({ url, store }) {
      const q = url.searchParams;
      const startDate = q.get("start_date");
      const endDate = q.get("end_date");
      if (!startDate || !endDate) throw badRequest("Please provide start_date and end_date");
      return {
        body: spendReport(store, {
          start: parseDate(startDate, "start_date"),
          end: parseDate(endDate, "end_date"),
          groupBy: q.get("group_by") ?? "team",
          apiKey: q.get("api_key"),
        }),
      };
    },
  },
];
