import type { Metadata } from "next";
import { IdleSharingNote } from "@/components/costs/idle-sharing-note";
import { PrintButton } from "@/components/costs/print-button";
import { count, hours, money } from "@/components/costs/format";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { env } from "@/lib/config/env";
import { sumSnapshots } from "@/lib/costs/costs-table";
import { assertCostViewTenant } from "@/lib/costs/export/access";
import { statementMonth, toSearchParams } from "@/lib/costs/export/query";
import { buildStatement } from "@/lib/costs/export/statement";
import { tenantCostPage } from "@/lib/costs/tenant-cost-page";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Cost statement" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// Printing hides the portal's chrome (sidebar, header) and the buttons: the page is the document.
const PRINT_CSS = `@media print {
  aside, header, .print\\:hidden { display: none !important; }
  main { max-width: none !important; padding: 0 !important; }
  body { background: white; color: black; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
}`;

export default async function StatementPage({ params, searchParams }: Props) {
  const { tenant: tenantId } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/costs/statement`);
  const db = await getDb();
  const tenant = await forPage(() => assertCostViewTenant(db, principal, tenantId));
  let period;
  try {
    period = statementMonth(toSearchParams(await searchParams));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return <Alert variant="destructive">{error.message}: month must be YYYY-MM</Alert>;
  }
  const config = env();
  const now = new Date();
  const [page, sums] = await Promise.all([tenantCostPage(db, tenant.id, period, {}, now, null), sumSnapshots(db, period, [tenant.id])]);
  if (!page) return null;
  const s = buildStatement({ tenant, period, sums: sums.get(tenant.id), daily: page.daily, budgetCents: page.budget.budgetCents, currency: config.COST_CURRENCY, idleSharing: config.COST_IDLE_SHARING, now });

  return (
    <article className="mx-auto grid max-w-3xl gap-5 text-sm" data-testid="statement">
      <style>{PRINT_CSS}</style>
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Cost statement · {s.month}</h1>
          <p>
            {s.tenant.displayName} ({s.tenant.id}){s.tenant.costCenter ? ` · cost center ${s.tenant.costCenter}` : ""}
          </p>
          <p className="text-muted-foreground">
            Period {s.period.start} to {s.period.end} (end exclusive, UTC) · currency {s.currency} · generated {s.generatedAt.replace("T", " ").slice(0, 16)} UTC
          </p>
        </div>
        <PrintButton />
      </div>
      {!s.closed ? <Alert variant="warning">Provisional: this month has not closed yet; the statement covers its closed days only.</Alert> : null}
      <IdleSharingNote idleSharing={s.idleSharing} />
      <section aria-labelledby="totals">
        <h2 id="totals" className="mb-1 font-semibold">
          Totals by category
        </h2>
        <Table aria-label="Totals by category" className="tabular-nums">
          <TableBody>
            {s.lines.map((l) => (
              <TableRow key={l.key} data-line={l.key}>
                <TableCell>{l.label}</TableCell>
                <TableCell className="text-right">{money(l.cents, s.currency)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell>Infrastructure (OpenCost)</TableCell>
              <TableCell className="text-right">{money(s.infraCents, s.currency)}</TableCell>
            </TableRow>
            <TableRow className="border-t-2 font-semibold" data-line="total">
              <TableCell>Total</TableCell>
              <TableCell className="text-right">{money(s.totalCents, s.currency)}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
        <p className="mt-2">
          Budget {money(s.budgetCents, s.currency)} per {page.budget.duration}; token spend used {s.budgetUsedPct === null ? "—" : `${s.budgetUsedPct}%`} of it.
        </p>
      </section>
      <section aria-labelledby="daily">
        <h2 id="daily" className="mb-1 font-semibold">
          Daily
        </h2>
        <Table aria-label="Daily costs" className="tabular-nums">
          <TableHeader>
            <TableRow>
              {["Date", "GPU h", "GPU", "CPU", "Memory", "Storage", "Idle share", "Tokens out", "Token spend"].map((h) => (
                <TableHead key={h} className={h === "Date" ? undefined : "text-right"}>
                  {h}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {s.daily.map((d) => (
              <TableRow key={d.day}>
                <TableCell>{d.day}</TableCell>
                <TableCell className="text-right">{hours(d.gpuHours)}</TableCell>
                {[d.gpuCents, d.cpuCents, d.ramCents, d.pvCents, d.idleShareCents].map((c, i) => (
                  <TableCell key={i} className="text-right">
                    {money(c, s.currency)}
                  </TableCell>
                ))}
                <TableCell className="text-right">{count(d.outputTokens)}</TableCell>
                <TableCell className="text-right">{money(d.tokenSpendCents, s.currency)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <p className="mt-2 text-xs text-muted-foreground">
          Daily token spend is rounded to the cent per day; the total above is rounded once on the month&apos;s exact sum, so the days may differ from it by up to half a cent each.
        </p>
      </section>
    </article>
  );
}
