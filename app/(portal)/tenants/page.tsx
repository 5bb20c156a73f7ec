import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { assertAllowed } from "@/lib/auth/guard";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { formatCents } from "@/lib/money/cents";
import { listTenants } from "@/lib/tenants/list-tenants";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage() {
  const principal = await requirePagePrincipal("/tenants");
  const db = await getDb();
  await forPage(() => assertAllowed(db, principal, "tenant.list-all"));
  const tenants = await listTenants(db, principal);
  const outbox = await db.outboxJob.findMany({
    where: { status: "pending", tenantId: { in: tenants.map((t) => t.id) } },
    select: { tenantId: true, attempts: true, lastError: true },
  });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Tenants"
        description="Teams that share the platform: their IdP groups, models, budgets and limits."
        actions={
          can(principal, "tenant.create") ? (
            <Button asChild>
              <Link href="/tenants/new">
                <Plus className="size-4" aria-hidden /> New tenant
              </Link>
            </Button>
          ) : null
        }
      />
      <Table aria-label="Tenants">
        <TableHeader>
          <TableRow>
            <TableHead>Tenant</TableHead>
            <TableHead>Groups</TableHead>
            <TableHead>Models</TableHead>
            <TableHead className="text-right">Budget</TableHead>
            <TableHead>Limits</TableHead>
            <TableHead>LiteLLM team</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tenants.map((t) => {
            const job = outbox.find((j) => j.tenantId === t.id);
            return (
              <TableRow key={t.id} data-testid={`tenant-row-${t.id}`}>
                <TableCell>
                  <div className="font-medium">{t.displayName}</div>
                  <code className="text-xs text-muted-foreground">{t.id}</code>
                </TableCell>
                <TableCell className="text-xs">
                  {t.groups.map((g) => (
                    <div key={g.group}>
                      {g.group} <span className="text-muted-foreground">({g.role})</span>
                    </div>
                  ))}
                </TableCell>
                <TableCell className="text-xs">{t.allowedModels.join(", ")}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatCents(t.monthlyBudgetCents)} / {t.budgetDuration}
                </TableCell>
                <TableCell className="text-xs">
                  {t.rpmLimit ?? "—"} rpm · {t.tpmLimit ?? "—"} tpm · keys ≤ {t.maxKeyDays}d
                </TableCell>
                <TableCell>
                  {t.status === "active" && !job ? (
                    <Badge variant="success">synced</Badge>
                  ) : (
                    <div className="grid gap-1">
                      <Badge variant="warning">{job && job.attempts > 0 ? `retrying (attempt ${job.attempts})` : "provisioning"}</Badge>
                      {job?.lastError ? <span className="max-w-56 text-xs text-destructive">{job.lastError}</span> : null}
                    </div>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
