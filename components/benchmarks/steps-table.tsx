import type { StepResult } from "@/lib/benchmarks/model";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fmtMs, fmtPercent, fmtRate, loadLabel } from "./format";

/** Every step with every figure (p50/p95/p99), flags next to the numbers they qualify. */
export function StepsTable({ steps }: { steps: StepResult[] }) {
  return (
    <div className="overflow-x-auto">
      <Table data-testid="steps-table">
        <TableHeader>
          <TableRow>
            <TableHead>Load</TableHead><TableHead>Done / failed</TableHead><TableHead>Req/s</TableHead><TableHead>Output tok/s</TableHead>
            <TableHead>Goodput</TableHead><TableHead>TTFT p50 / p95 / p99</TableHead><TableHead>ITL p50 / p95</TableHead>
            <TableHead>TPOT p50 / p95</TableHead><TableHead>E2E p50 / p95</TableHead><TableHead>Errors</TableHead><TableHead>Sched. delay p99</TableHead><TableHead>Flags</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {steps.map((s) => (
            <TableRow key={s.index}>
              <TableCell>{loadLabel(s.loadKind, s.load)}{s.achievedRate !== null ? ` (${s.achievedRate.toFixed(2)}/s)` : ""}</TableCell>
              <TableCell>{s.completed ?? "—"} / {s.failed ?? "—"}</TableCell>
              <TableCell>{fmtRate(s.requestThroughput, "")}</TableCell>
              <TableCell>{fmtRate(s.outputThroughput, "")}</TableCell>
              <TableCell>{fmtRate(s.goodput, "")}</TableCell>
              <TableCell>{fmtMs(s.ttft.p50)} / {fmtMs(s.ttft.p95)} / {fmtMs(s.ttft.p99)}</TableCell>
              <TableCell>{fmtMs(s.itl.p50)} / {fmtMs(s.itl.p95)}</TableCell>
              <TableCell>{fmtMs(s.tpot.p50)} / {fmtMs(s.tpot.p95)}</TableCell>
              <TableCell>{fmtMs(s.e2e.p50)} / {fmtMs(s.e2e.p95)}</TableCell>
              <TableCell>{fmtPercent(s.errorRate)}</TableCell>
              <TableCell>{fmtMs(s.schedulingDelayP99Ms)}</TableCell>
              <TableCell className="space-x-1">{s.flags.map((f) => <Badge key={f} variant="warning">{f}</Badge>)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
