import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCents } from "@/lib/money/cents";
import { RequestStatusBadge } from "./status-badge";

type Row = {
  id: string;
  number: number;
  tenantId: string;
  kind: string;
  status: string;
  title: string;
  requesterEmail: string;
  costDeltaCents: number | null;
  prNumber: number | null;
  createdAt: Date;
};

export function RequestsTable({ requests, label }: { requests: Row[]; label: string }) {
  if (!requests.length) return <EmptyState title="No requests" description="Nothing here yet." />;
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>#</TableHead>
          <TableHead>Request</TableHead>
          <TableHead>Tenant</TableHead>
          <TableHead>Requested by</TableHead>
          <TableHead className="text-right">Cost Δ / month</TableHead>
          <TableHead>PR</TableHead>
          <TableHead>Status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {requests.map((r) => (
          <TableRow key={r.id} data-testid={`request-row-${r.number}`}>
            <TableCell className="tabular-nums">{r.number}</TableCell>
            <TableCell>
              <Link href={`/requests/${r.id}`} className="font-medium underline-offset-4 hover:underline">
                {r.title}
              </Link>
              <div className="text-xs text-muted-foreground">
                {r.kind} · {r.createdAt.toISOString().slice(0, 16).replace("T", " ")}
              </div>
            </TableCell>
            <TableCell className="text-sm">{r.tenantId}</TableCell>
            <TableCell className="text-sm">{r.requesterEmail}</TableCell>
            <TableCell className="text-right text-sm tabular-nums">
              {r.costDeltaCents === null ? "—" : `${r.costDeltaCents >= 0 ? "+" : "−"}${formatCents(Math.abs(r.costDeltaCents))}`}
            </TableCell>
            <TableCell className="text-sm">{r.prNumber ? `#${r.prNumber}` : "—"}</TableCell>
            <TableCell>
              <RequestStatusBadge status={r.status} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
