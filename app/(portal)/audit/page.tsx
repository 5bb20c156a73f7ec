import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { listAudit } from "@/lib/audit/list-audit";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const OUTCOME_VARIANT = { success: "success", denied: "warning", failure: "destructive" } as const;

export default async function AuditPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/audit");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  const { events, nextBefore, filter } = await forPage(async () => listAudit(await getDb(), principal, raw));
  const older = new URLSearchParams({ ...(raw as Record<string, string>), ...(nextBefore ? { before: nextBefore } : {}) });

  return (
    <div className="grid gap-6">
      <PageHeader title="Audit log" description="Every change and every refused attempt, newest first." />
      <form className="grid items-end gap-3 sm:grid-cols-5" role="search" aria-label="Filter audit events">
        {(
          [
            ["tenant", "Tenant", filter.tenant],
            ["action", "Action starts with", filter.action],
            ["actor", "Actor email", filter.actor],
          ] as const
        ).map(([name, label, value]) => (
          <div key={name} className="grid gap-1">
            <Label htmlFor={`f-${name}`}>{label}</Label>
            <Input id={`f-${name}`} name={name} defaultValue={value ?? ""} />
          </div>
        ))}
        <div className="grid gap-1">
          <Label htmlFor="f-outcome">Outcome</Label>
          <select id="f-outcome" name="outcome" defaultValue={filter.outcome ?? ""} className="h-9 rounded-md border border-input bg-background px-3 text-sm">
            <option value="">any</option>
            <option value="success">success</option>
            <option value="denied">denied</option>
            <option value="failure">failure</option>
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <Table aria-label="Audit events">
        <TableHeader>
          <TableRow>
            <TableHead>Time (UTC)</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Tenant</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Outcome</TableHead>
            <TableHead>Request</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((e) => (
            <TableRow key={e.id}>
              <TableCell className="whitespace-nowrap text-xs tabular-nums">{e.at.toISOString().replace("T", " ").slice(0, 19)}</TableCell>
              <TableCell className="text-sm">{e.actorEmail}</TableCell>
              <TableCell className="text-sm">{e.tenantId ?? "—"}</TableCell>
              <TableCell>
                <code className="text-xs">{e.action}</code>
              </TableCell>
              <TableCell className="text-xs">{e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}</TableCell>
              <TableCell>
                <Badge variant={OUTCOME_VARIANT[e.outcome as keyof typeof OUTCOME_VARIANT] ?? "outline"}>{e.outcome}</Badge>
              </TableCell>
              <TableCell className="font-mono text-xs text-muted-foreground">{e.requestId?.slice(0, 8) ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {nextBefore ? (
        <Link href={`/audit?${older}`} className="text-sm text-primary underline-offset-4 hover:underline">
          Older events →
        </Link>
      ) : null}
    </div>
  );
}
