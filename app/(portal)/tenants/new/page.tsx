import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { assertAllowed } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { BUDGET_DURATIONS } from "@/lib/tenants/schemas";
import { NewTenantForm } from "./new-tenant-form";

export const metadata: Metadata = { title: "New tenant" };

export default async function NewTenantPage() {
  const principal = await requirePagePrincipal("/tenants/new");
  await forPage(async () => assertAllowed(await getDb(), principal, "tenant.create"));
  return (
    <div className="grid max-w-2xl gap-6">
      <PageHeader title="New tenant" description="Creates the tenant in the portal and its team in LiteLLM." />
      <NewTenantForm models={MODEL_CATALOG.map((m) => ({ id: m.id, name: m.name }))} durations={[...BUDGET_DURATIONS]} />
    </div>
  );
}
