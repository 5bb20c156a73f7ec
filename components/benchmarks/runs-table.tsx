import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { sourceLabel } from "./format";

export type RunRow = {
  id: string; name: string; source: string; status: string; tenantId: string | null; deploymentNs: string | null; deploymentName: string | null;
  model: string | null; servingLayer: string | null; gpuType: string | null; gpuCount: number | null; config: Record<string, unknown>; createdByEmail: string; createdAt: Date;
};

function configSummary(config: Record<string, unknown>): string {
  const sweep = config.sweep as { kind?: string; levels?: number[] } | undefined;
  const step = config.step as { durationMs?: number; requests?: number } | undefined;
  if (!sweep?.kind) return "—";
  const per = step?.durationMs ? `${step.durationMs / 1000} s` : step?.requests ? `${step.requests} req` : "";
  return `${sweep.kind} ${sweep.levels?.join(",") ?? ""}${per ? ` × ${per}` : ""}`;
}

const STATUS_VARIANT: Record<string, "success" | "warning" | "destructive" | "secondary"> = { succeeded: "success", running: "warning", queued: "secondary", failed: "destructive", cancelled: "secondary" };

/** The runs list; each row can be ticked for Compare (a plain GET form, no script needed). */
export function RunsTable({ runs }: { runs: RunRow[] }) {
  return (
    <form action="/benchmarks/compare" method="get" className="grid gap-2">
      <div className="overflow-x-auto">
        <Table data-testid="runs-table">
          <TableHeader>
            <TableRow>
              <TableHead><span className="sr-only">Compare</span></TableHead><TableHead>Run</TableHead><TableHead>Model</TableHead><TableHead>Serving layer</TableHead>
              <TableHead>GPU</TableHead><TableHead>Configuration</TableHead><TableHead>Who</TableHead><TableHead>When</TableHead><TableHead>Source</TableHead><TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.map((r) => (
              <TableRow key={r.id}>
                <TableCell><input type="checkbox" name="ids" value={r.id} aria-label={`Compare ${r.name}`} /></TableCell>
                <TableCell><Link className="underline underline-offset-2" href={`/benchmarks/${r.id}`}>{r.name}</Link>{r.deploymentName ? <div className="text-xs text-muted-foreground">{r.deploymentNs}/{r.deploymentName}</div> : null}</TableCell>
                <TableCell>{r.model ?? "—"}</TableCell>
                <TableCell>{r.servingLayer ?? "—"}</TableCell>
                <TableCell>{r.gpuType ? `${r.gpuCount ?? "?"} × ${r.gpuType}` : "—"}</TableCell>
                <TableCell className="text-xs">{configSummary(r.config)}</TableCell>
                <TableCell className="text-xs">{r.createdByEmail}</TableCell>
                <TableCell className="text-xs"><time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time></TableCell>
                <TableCell><Badge variant={r.source === "reference" ? "warning" : "outline"}>{sourceLabel(r.source)}</Badge></TableCell>
                <TableCell><Badge variant={STATUS_VARIANT[r.status] ?? "secondary"}>{r.status}</Badge></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <button type="submit" className="w-fit rounded-md border px-3 py-1.5 text-sm hover:bg-accent">Compare selected (2–4)</button>
    </form>
  );
}
