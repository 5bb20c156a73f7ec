import Link from "next/link";
import { ArrowDown, ArrowUp } from "lucide-react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CostsTableRow } from "@/lib/costs/costs-table";
import { sumCents } from "@/lib/costs/money";
import type { SortKey, TableQuery } from "@/lib/costs/export/query";
import { count, hours, money, percent, signedPercent } from "./format";

type Column = { key: SortKey; label: string; numeric?: boolean; cell: (r: CostsTableRow, currency: string, periodQs: string) => React.ReactNode; total?: (rows: CostsTableRow[], currency: string) => React.ReactNode };

const centsColumn = (key: SortKey & keyof CostsTableRow, label: string): Column => ({
  key,
  label,
  numeric: true,
  cell: (r, c) => money(r[key] as number, c),
  total: (rows, c) => money(sumCents(rows.map((r) => r[key] as number)), c),
});

const COLUMNS: Column[] = [
  { key: "tenant", label: "Tenant", cell: (r, _c, periodQs) => <Link className="font-medium underline-offset-4 hover:underline" href={`/t/${r.tenantId}/costs?${periodQs}`}>{r.displayName}</Link> },
  { key: "costCenter", label: "Cost center", cell: (r) => r.costCenter ?? "—" },
  { key: "gpuHours", label: "GPU h", numeric: true, cell: (r) => hours(r.gpuHours), total: (rows) => hours(rows.reduce((s, r) => s + Math.round(r.gpuHours * 1000), 0) / 1000) },
  centsColumn("gpuCents", "GPU"),
  centsColumn("cpuCents", "CPU"),
  centsColumn("ramCents", "Memory"),
  centsColumn("pvCents", "Storage"),
  centsColumn("idleShareCents", "Idle share"),
  centsColumn("infraCents", "Infra"),
  centsColumn("tokenSpendCents", "Token spend"),
  centsColumn("totalCents", "Total"),
  centsColumn("budgetCents", "Budget"),
  { key: "budgetUsedPct", label: "Budget used", numeric: true, cell: (r) => percent(r.budgetUsedPct) },
  {
    key: "forecastCents",
    label: "Forecast*",
    numeric: true,
    cell: (r, c) => <span title={r.forecast.assumption}>{money(r.forecast.forecastCents, c)}</span>,
    total: (rows, c) => (rows.every((r) => r.forecast.forecastCents !== null) ? money(sumCents(rows.map((r) => r.forecast.forecastCents ?? 0)), c) : "—"),
  },
  { key: "changePct", label: "vs previous", numeric: true, cell: (r) => <span title={`Previous period: ${r.previousTotalCents} cents`}>{signedPercent(r.changePct)}</span> },
];

type Props = {
  rows: CostsTableRow[];
  currency: string;
  query: TableQuery;
  hrefFor: (sort: SortKey, dir: "asc" | "desc") => string;
  /** The period's query string, carried to the tenant pages so they open on the same period. */
  periodQs: string;
};

/**
 * The finance table. Sorting is links (the order lives in the URL, server-rendered), and the
 * totals row sums exactly the rows shown, so a filtered view still adds up.
 */
export function CostsTable({ rows, currency, query, hrefFor, periodQs }: Props) {
  return (
    <Table aria-label="Costs by tenant" className="tabular-nums">
      <TableHeader>
        <TableRow>
          {COLUMNS.map((col) => {
            const active = query.sort === col.key;
            const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : col.numeric ? "desc" : "asc";
            return (
              <TableHead key={col.key} className={col.numeric ? "text-right" : undefined} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : "none"}>
                <Link href={hrefFor(col.key, nextDir)} className="inline-flex items-center gap-1 hover:text-foreground" data-sort={col.key}>
                  {col.label}
                  {active ? query.dir === "asc" ? <ArrowUp className="size-3" aria-hidden /> : <ArrowDown className="size-3" aria-hidden /> : null}
                </Link>
              </TableHead>
            );
          })}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.tenantId} data-tenant={r.tenantId}>
            {COLUMNS.map((col) => (
              <TableCell key={col.key} className={col.numeric ? "text-right whitespace-nowrap" : "whitespace-nowrap"} data-col={col.key}>
                {col.cell(r, currency, periodQs)}
              </TableCell>
            ))}
          </TableRow>
        ))}
        <TableRow className="border-t-2 font-semibold" data-testid="totals-row">
          {COLUMNS.map((col, i) => (
            <TableCell key={col.key} className={col.numeric ? "text-right whitespace-nowrap" : undefined} data-col={col.key}>
              {i === 0 ? `Total (${count(rows.length)})` : (col.total?.(rows, currency) ?? "")}
            </TableCell>
          ))}
        </TableRow>
      </TableBody>
    </Table>
  );
}
