import type { Metadata } from "next";
import Link from "next/link";
import { CompareCharts } from "@/components/benchmarks/compare-charts";
import { fmtMs, fmtRate, loadLabel, sourceLabel } from "@/components/benchmarks/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { compareRuns } from "@/lib/benchmarks/analysis";
import { compareIdsSchema } from "@/lib/benchmarks/pages/list-query";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Compare benchmark runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ComparePage({ searchParams }: Props) {
  // `ids=a,b` (links) or `ids=a&ids=b` (the list's checkboxes): both mean the same selection.
  const raw = (await searchParams).ids;
  const joined = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const principal = await requirePagePrincipal(`/benchmarks/compare?ids=${encodeURIComponent(joined)}`);
  const ids = compareIdsSchema.safeParse(joined);
  if (!ids.success) {
    return (
      <div className="grid gap-4">
        <PageHeader title="Compare runs" />
        <Alert variant="destructive">Pick 2 to 4 runs to compare. <Link className="underline" href="/benchmarks">Back to runs</Link></Alert>
      </div>
    );
  }
  const db = await getDb();
  const series = await forPage(() => compareRuns(db, benchmarkScope(principal), ids.data));
  return (
    <div className="grid gap-4">
      <PageHeader title="Compare runs" description={`${series.length} runs overlaid; the reference run is dashed.`} />
      <ul className="flex flex-wrap gap-2 text-sm">
        {series.map((s) => <li key={s.runId}><Link className="underline" href={`/benchmarks/${s.runId}`}>{s.name}</Link> <Badge variant={s.source === "reference" ? "warning" : "outline"}>{sourceLabel(s.source)}</Badge></li>)}
      </ul>
      <CompareCharts series={series} />
      <Table data-testid="compare-table">
        <TableHeader><TableRow><TableHead>Run</TableHead><TableHead>Load</TableHead><TableHead>TTFT p50</TableHead><TableHead>TTFT p95</TableHead><TableHead>TPOT p50</TableHead><TableHead>Output tok/s</TableHead></TableRow></TableHeader>
        <TableBody>
          {series.flatMap((s) => s.points.map((p, i) => (
            <TableRow key={`${s.runId}-${i}`}>
              <TableCell>{s.name}</TableCell><TableCell>{loadLabel(s.loadKind, p.load)}</TableCell><TableCell>{fmtMs(p.ttftP50)}</TableCell>
              <TableCell>{fmtMs(p.ttftP95)}</TableCell><TableCell>{fmtMs(p.tpotP50)}</TableCell><TableCell>{fmtRate(p.outputThroughput, "")}</TableCell>
            </TableRow>
          )))}
        </TableBody>
      </Table>
    </div>
  );
}
