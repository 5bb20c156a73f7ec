import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { can } from "@/lib/auth/policy";
import { deploymentModel } from "@/lib/dashboards/live-markers";
import { tenantMetricsScope } from "@/lib/dashboards/scope";
import { defaultSlo } from "@/lib/dashboards/slo";
import { getDb } from "@/lib/db/client";
import { deploymentName } from "@/lib/gitops/requests";
import { getDashboard } from "@/lib/metrics/dashboards";
import { getTenantOrThrow } from "@/lib/tenants/get-tenant-or-throw";
import { ModelClient } from "./model-client";

// Neither the tenant nor the deployment in the title: it is rendered before anyone reads the page.
export const metadata: Metadata = { title: "Model deployment" };

type Props = { params: Promise<{ tenant: string; deployment: string }> };

export default async function ModelPage({ params }: Props) {
  const { tenant: tenantId, deployment } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/deployments/${deployment}`);
  // Not a deployment name at all: the same not-found as any unknown URL.
  if (!deploymentName.safeParse(deployment).success) notFound();
  const db = await getDb();
  const tenant = await forPage(async () => {
    await tenantMetricsScope(db, principal, tenantId);
    return getTenantOrThrow(db, principal, tenantId);
  });
  const model = await deploymentModel(db, tenant.id, deployment);
  return (
    <div className="grid gap-2">
      <PageHeader
        title={deployment}
        description={`${tenant.displayName} · ${model ?? "model not deployed through the portal"} · serving, latency objectives and replicas`}
        actions={
          can(principal, "benchmark.view", { tenantId: tenant.id }) ? (
            <Link className="text-sm underline" href={`/benchmarks?${new URLSearchParams({ deploymentNs: tenant.id, deploymentName: deployment })}`}>Benchmarks</Link>
          ) : null
        }
      />
      <ModelClient tenantId={tenant.id} deployment={deployment} panels={getDashboard("model").panels} defaults={defaultSlo(model)} />
    </div>
  );
}
