import { describe, expect, it } from "vitest";
import type { CostsTableRow } from "@/lib/costs/costs-table";
import { AppError } from "@/lib/http/errors";
import { applyTableQuery, periodFromQuery, periodQuery, statementMonth, tableQueryFromParams, toSearchParams } from "./query";

const NOW = new Date("2026-03-15T12:00:00Z");
const q = (s: string) => new URLSearchParams(s);

describe("period from the query string", () => {
  it("defaults to this month, in UTC", () => {
    const p = periodFromQuery(q(""), NOW);
    expect([p.kind, p.start.toISOString(), p.end.toISOString()]).toEqual(["this-month", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]);
  });

  it("last month", () => {
    const p = periodFromQuery(q("period=last-month"), NOW);
    expect([p.start.toISOString(), p.end.toISOString()]).toEqual(["2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"]);
  });

  it("the form's empty date fields do not count unless the period is custom", () => {
    const p = periodFromQuery(q("period=last-month&from=&to="), NOW);
    expect(p.start.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(() => periodFromQuery(q("period=custom&from=&to="), NOW)).toThrow(AppError);
  });

  it("custom: `to` is inclusive in the URL, exclusive in the period, and round-trips", () => {
    const p = periodFromQuery(q("period=custom&from=2026-01-10&to=2026-01-31"), NOW);
    expect([p.start.toISOString(), p.end.toISOString()]).toEqual(["2026-01-10T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
    expect(periodQuery(p)).toEqual({ period: "custom", from: "2026-01-10", to: "2026-01-31" });
  });

  it.each([
    ["period=yesterday", "unknown kind"],
    ["period=custom&from=2026-01-10", "missing to"],
    ["period=custom&from=2026-02-30&to=2026-03-02", "impossible day"],
    ["period=custom&from=2026-03-10&to=2026-03-01", "end before start"],
    ["period=custom&from=2020-01-01&to=2026-01-01", "too long"],
    ["period=custom&from=2026-01-01'--&to=2026-01-02", "injection attempt"],
  ])("%s (%s) is a 422", (query) => {
    const attempt = () => periodFromQuery(q(query), NOW);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).status).toBe(422);
    }
  });

  it("takes the first of a repeated parameter from Next's searchParams", () => {
    expect(toSearchParams({ period: ["last-month", "custom"], x: undefined }).toString()).toBe("period=last-month");
  });
});

describe("statement month", () => {
  it("a calendar month in UTC (31 days, leap February)", () => {
    const jan = statementMonth(q("month=2026-01"), NOW);
    expect([jan.start.toISOString(), jan.end.toISOString()]).toEqual(["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
    const feb = statementMonth(q("month=2028-02"), NOW);
    expect((feb.end.getTime() - feb.start.getTime()) / 86_400_000).toBe(29);
  });

  it("defaults to last month and refuses anything else", () => {
    expect(statementMonth(q(""), NOW).start.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    for (const bad of ["2026-13", "2026-1", "26-01", "2026-01-01", "<script>"]) expect(() => statementMonth(q(`month=${encodeURIComponent(bad)}`), NOW)).toThrow(AppError);
  });
});

const row = (tenantId: string, over: Partial<CostsTableRow> = {}): CostsTableRow => ({
  tenantId,
  displayName: tenantId.toUpperCase(),
  costCenter: null,
  gpuHours: 0,
  gpuCents: 0,
  cpuCents: 0,
  ramCents: 0,
  pvCents: 0,
  idleShareCents: 0,
  infraCents: 0,
  tokenSpendCents: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalCents: 0,
  budgetCents: 0,
  budgetUsedPct: null,
  forecast: { forecastCents: null, runRatePerDayCents: null, basisDays: 0, assumption: "" },
  previousTotalCents: 0,
  changePct: null,
  ...over,
});

describe("table query: sort and filter", () => {
  it("parses sort/dir and falls back on unknown values", () => {
    expect(tableQueryFromParams(q("sort=budgetUsedPct&dir=desc"))).toEqual({ sort: "budgetUsedPct", dir: "desc", q: "" });
    expect(tableQueryFromParams(q("sort=__proto__&dir=sideways"))).toEqual({ sort: "totalCents", dir: "desc", q: "" });
    expect(tableQueryFromParams(q("sort=tenant")).dir).toBe("asc");
    expect(tableQueryFromParams(q(`q=${"x".repeat(500)}`)).q).toHaveLength(100);
  });

  const rows = [
    row("acme", { budgetUsedPct: 85, totalCents: 500, costCenter: "CC-100" }),
    row("globex", { budgetUsedPct: 20, totalCents: 900, costCenter: "CC-200" }),
    row("initech", { budgetUsedPct: null, totalCents: 100 }),
    row("umbrella", { budgetUsedPct: 85, totalCents: 50 }),
  ];

  it("sorts by budget used, blanks last in both directions, ties by id", () => {
    const ids = (dir: "asc" | "desc") => applyTableQuery(rows, { sort: "budgetUsedPct", dir, q: "" }).map((r) => r.tenantId);
    expect(ids("desc")).toEqual(["acme", "umbrella", "globex", "initech"]);
    expect(ids("asc")).toEqual(["globex", "acme", "umbrella", "initech"]);
  });

  it("sorts by the forecast inside the nested object", () => {
    const withForecast = rows.map((r, i) => ({ ...r, forecast: { ...r.forecast, forecastCents: [3, 1, 2, null][i]! } }));
    expect(applyTableQuery(withForecast, { sort: "forecastCents", dir: "asc", q: "" }).map((r) => r.tenantId)).toEqual(["globex", "initech", "acme", "umbrella"]);
  });

  it("filters on name, id and cost center, case-insensitively, without regex semantics", () => {
    expect(applyTableQuery(rows, { sort: "tenant", dir: "asc", q: "cc-2" }).map((r) => r.tenantId)).toEqual(["globex"]);
    expect(applyTableQuery(rows, { sort: "tenant", dir: "asc", q: "ACM" }).map((r) => r.tenantId)).toEqual(["acme"]);
    expect(applyTableQuery(rows, { sort: "tenant", dir: "asc", q: ".*" })).toEqual([]);
  });

  it("does not reorder its input", () => {
    applyTableQuery(rows, { sort: "totalCents", dir: "desc", q: "" });
    expect(rows.map((r) => r.tenantId)).toEqual(["acme", "globex", "initech", "umbrella"]);
  });
});
