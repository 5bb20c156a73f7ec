import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { SpendLine } from "@/lib/costs/tenant-cost-page";
import { count, money } from "./format";

/** Token spend by one LiteLLM dimension (model, key, user). */
export function SpendTable({ lines, label, currency, emptyText }: { lines: SpendLine[]; label: string; currency: string; emptyText: string }) {
  if (lines.length === 0) return <p className="text-sm text-muted-foreground">{emptyText}</p>;
  return (
    <Table aria-label={`Spend by ${label.toLowerCase()}`} className="tabular-nums">
      <TableHeader>
        <TableRow>
          <TableHead>{label}</TableHead>
          <TableHead className="text-right">Spend</TableHead>
          <TableHead className="text-right">Requests</TableHead>
          <TableHead className="text-right">Input tokens</TableHead>
          <TableHead className="text-right">Output tokens</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l) => (
          <TableRow key={l.value}>
            <TableCell className="font-mono text-xs">{l.value}</TableCell>
            <TableCell className="text-right">{money(l.tokenSpendCents, currency)}</TableCell>
            <TableCell className="text-right">{count(l.requests)}</TableCell>
            <TableCell className="text-right">{count(l.inputTokens)}</TableCell>
            <TableCell className="text-right">{count(l.outputTokens)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
