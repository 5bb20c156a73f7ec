import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { UnitEconomics } from "@/lib/costs/tenant-cost-page";
import { count, money } from "./format";

/** GPU cost per million output tokens per model, next to LiteLLM's list price. */
export function UnitEconomicsTable({ rows, currency }: { rows: UnitEconomics[]; currency: string }) {
  return (
    <div className="grid gap-2">
      <p className="text-sm text-muted-foreground">
        Cost per million output tokens = GPU cost of the model&apos;s pods (OpenCost, by the model label) ÷ output tokens they served (vLLM&apos;s counter in Prometheus) × 10⁶.
        The list price is what LiteLLM charges per million output tokens; the difference is the margin (or the subsidy) of serving it.
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">No model ran on GPUs for this tenant in the period.</p>
      ) : (
        <Table aria-label="Unit economics" className="tabular-nums">
          <TableHeader>
            <TableRow>
              <TableHead>Model</TableHead>
              <TableHead className="text-right">GPU cost</TableHead>
              <TableHead className="text-right">Output tokens</TableHead>
              <TableHead className="text-right">Cost / 1M output</TableHead>
              <TableHead className="text-right">List price / 1M output</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.model} data-model={r.model}>
                <TableCell className="font-mono text-xs">{r.model}</TableCell>
                <TableCell className="text-right">{money(r.gpuCostCents, currency)}</TableCell>
                <TableCell className="text-right">{r.outputTokens === null ? "not measured" : count(r.outputTokens)}</TableCell>
                <TableCell className="text-right" data-col="costPerMillion">{money(r.costPerMillionOutputCents, currency)}</TableCell>
                <TableCell className="text-right">{money(r.listPricePerMillionOutputCents, currency)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
