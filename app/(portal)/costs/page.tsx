import type { Metadata } from "next";
import { Download } from "lucide-react";
import { CostsTable } from "@/components/costs/costs-table";
import { CostsStates } from "@/components/costs/costs-states";
import { IdleSharingNote } from "@/components/costs/idle-sharing-note";
import { PeriodPicker } from "@/components/costs/period-picker";
import { ReconciliationLine } from "@/components/costs/reconciliation-line";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { env } from "@/lib/config/env";
import { costsTable } from "@/lib/costs/costs-table";
import { liveTodayFromEnv } from "@/lib/costs/live-today";
import { assertCostViewAll } from "@/lib/costs/export/access";
import { costDataStatus } from "@/lib/costs/export/data-status";
import { applyTableQuery, periodFromQuery, periodQuery, tableQueryFromParams, toSearchParams } from "@/lib/costs/export/query";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Costs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CostsPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/costs");
  const db = await getDb();
  await forPage(() => assertCostViewAll(db, principal));
  const params = toSearchParams(await searchParams);
  let period;
  try {
    period = periodFromQuery(params);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <div className="grid gap-4">
        <PageHeader title="Costs" />
        <Alert variant="destructive">{error.message}: {Object.values(error.fields ?? {}).flat().join("; ")}</Alert>
      </div>
    );
  }
  const query = tableQueryFromParams(params);
  const config = env();
  const now = new Date();
  // Today is never stored: when the period contains it, its live figures (cached briefly) are merged.
  const live = period.start <= now && now < period.end ? await liveTodayFromEnv(db, now) : null;
  const [table, status] = await Promise.all([costsTable(db, { period, now, live, currency: config.COST_CURRENCY, idleSharing: config.COST_IDLE_SHARING }), costDataStatus(db, now)]);
  const rows = applyTableQuery(table.rows, query);
  const base = periodQuery(period);
  const hrefFor = (sort: string, dir: string) => `/costs?${new URLSearchParams({ ...base, ...(query.q ? { q: query.q } : {}), sort, dir })}`;
  const exportHref = `/api/costs/export.csv?${new URLSearchParams(base)}`;

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Costs"
        description={`Infrastructure (OpenCost) and token spend (LiteLLM) per tenant, ${table.period.start.slice(0, 10)} to ${table.period.end.slice(0, 10)} (end exclusive, UTC), in ${table.currency}.`}
      />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PeriodPicker period={period} action="/costs" keep={{ sort: query.sort, dir: query.dir, ...(query.q ? { q: query.q } : {}) }} />
        <form method="get" action="/costs" className="flex items-end gap-2" role="search">
          {Object.entries({ ...base, sort: query.sort, dir: query.dir }).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <label className="grid gap-1 text-sm">
            <span className="text-muted-foreground">Filter by tenant or cost center</span>
            <input name="q" defaultValue={query.q} maxLength={100} className="h-9 rounded-md border border-input bg-background px-2" />
          </label>
          <Button type="submit" variant="outline" size="sm">
            Filter
          </Button>
        </form>
      </div>
      <IdleSharingNote idleSharing={table.idleSharing} />
      <CostsStates status={status} throughDay={table.throughDay} live={table.live} />
      {status.hasSnapshots ? (
        <>
          <CostsTable rows={rows} currency={table.currency} query={query} hrefFor={hrefFor} periodQs={new URLSearchParams(base).toString()} />
          {query.q ? <p className="text-sm text-muted-foreground">Filtered: the totals row sums the {rows.length} tenant(s) shown; the reconciliation below is for all tenants.</p> : null}
          <ReconciliationLine reconciliation={table.reconciliation} currency={table.currency} />
          <p className="text-xs text-muted-foreground">
            * Forecast: {FORECAST_NOTE} Hover a figure for its basis. Budget used is token spend ÷ the tenant&apos;s LiteLLM budget (LiteLLM enforces the budget on token spend).
          </p>
          <div>
            <Button asChild variant="outline" size="sm">
              <a href={exportHref} download>
                <Download aria-hidden /> Export CSV
              </a>
            </Button>
          </div>
        </>
      ) : null}
    </div>
  );
}

const FORECAST_NOTE =
  "linear from the daily run rate — the average of the period's closed days (since the tenant was created, if later) continues for the remaining days, today included (UTC); a closed period's forecast is its actual total.";
