import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { tenantMetricsScope } from "@/lib/dashboards/scope";
import { getDb } from "@/lib/db/client";
import { getDashboard } from "@/lib/metrics/dashboards";
import { getTenantOrThrow } from "@/lib/tenants/get-tenant-or-throw";
import { UsageClient } from "./usage-client";

// No tenant name in the title: titles must not confirm another tenant exists.
export const metadata: Metadata = { title: "Usage" };

type Props = { params: Promise<{ tenant: string }> };

export default async function UsagePage({ params }: Props) {
  const { tenant: tenantId } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/usage`);
  const db = await getDb();
  // 404 for a tenant the principal has no role in, exactly as for one that does not exist.
  const tenant = await forPage(async () => {
    await tenantMetricsScope(db, principal, tenantId);
    return getTenantOrThrow(db, principal, tenantId);
  });
  return (
    <div className="grid gap-2">
      <PageHeader title="Usage" description={`${tenant.displayName} · tokens, requests, errors and latency of your deployments`} />
      <UsageClient tenantId={tenant.id} panels={getDashboard("tenant").panels} />
    </div>
  );
}
