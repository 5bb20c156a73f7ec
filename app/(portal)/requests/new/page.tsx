import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { assertAllowed } from "@/lib/auth/guard";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { GPU_CATALOG } from "@/lib/catalog/gpus";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { NewRequestForm } from "./new-request-form";

export const metadata: Metadata = { title: "New request" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NewRequestPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/requests/new");
  const db = await getDb();
  const params = await searchParams;
  const mayOnboard = can(principal, "tenant.onboard");
  const requestedTenant = typeof params.tenant === "string" ? params.tenant : undefined;
  const tenants = (
    await db.tenant.findMany({
      where: mayOnboard ? {} : { id: { in: [...principal.tenantRoles.keys()] } },
      select: { id: true, displayName: true, allowedModels: true, monthlyBudgetCents: true, rpmLimit: true, tpmLimit: true },
      orderBy: { id: "asc" },
    })
  ).filter((t) => can(principal, "request.create", { tenantId: t.id }));
  if (!tenants.length && !mayOnboard) await forPage(() => assertAllowed(db, principal, "request.create"));
  return (
    <div className="grid max-w-3xl gap-6">
      <PageHeader title="New request" description="Becomes a pull request on the platform repo, reviewed by the platform team." />
      <NewRequestForm
        tenants={tenants}
        initialTenant={tenants.some((t) => t.id === requestedTenant) ? requestedTenant : tenants[0]?.id}
        mayOnboard={mayOnboard}
        models={MODEL_CATALOG.map((m) => ({ id: m.id, name: m.name, parametersB: m.parametersBillions, contextLength: m.contextLength, weightsGb: m.weightsGb, gpuTypes: [...m.supportedGpus] }))}
        gpus={GPU_CATALOG.map((g) => ({ id: g.id, name: g.name, memoryGb: g.memoryGb }))}
      />
    </div>
  );
}
