import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Series, Unit } from "@/lib/metrics/types";
import { formatValue } from "./format";
import { summarize } from "./panel-state";

/** The chart's numbers as a table (collapsed): readable by screen readers and copyable. */
export function SeriesTable({ title, series, unit, secondaryUnit, open = false }: { title: string; series: Series[]; unit: Unit; secondaryUnit?: Unit; open?: boolean }) {
  const unitOf = (s: Series) => (s.axis === "right" && secondaryUnit ? secondaryUnit : unit);
  const bySeries = new Map(series.map((s) => [s.key, s]));
  return (
    <details className="mt-2 text-sm" open={open}>
      <summary className="cursor-pointer text-xs text-muted-foreground">Table</summary>
      <Table aria-label={`${title}: values over the range`}>
        <TableHeader>
          <TableRow>
            <TableHead>Series</TableHead>
            <TableHead className="text-right">Last</TableHead>
            <TableHead className="text-right">Min</TableHead>
            <TableHead className="text-right">Mean</TableHead>
            <TableHead className="text-right">Max</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {summarize(series).map((row) => {
            const s = bySeries.get(row.key);
            const u = s ? unitOf(s) : unit;
            return (
              <TableRow key={row.key}>
                <TableCell className="max-w-64 truncate text-xs" title={row.label}>
                  {row.label}
                </TableCell>
                {([row.last, row.min, row.mean, row.max] as const).map((v, i) => (
                  <TableCell key={i} className="text-right text-xs tabular-nums">
                    {formatValue(v, u)}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </details>
  );
}
