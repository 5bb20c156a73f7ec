import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { createLiteLLMClient } from "@/lib/integrations/litellm/client";
import { listKeys } from "@/lib/keys/list-keys";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { formatCents } from "@/lib/money/cents";
import { KeysClient } from "./keys-client";

// No tenant name in the title: titles must not confirm another tenant exists.
export const metadata: Metadata = { title: "API keys" };

type Props = { params: Promise<{ tenant: string }> };

export default async function KeysPage({ params }: Props) {
  const { tenant: tenantId } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/keys`);
  const db = await getDb();
  const { tenant, keys, seeAll, budgetLeftCents, teamSpendCents } = await forPage(() =>
    listKeys(db, createLiteLLMClient(), principal, tenantId),
  );
  const models = MODEL_CATALOG.filter((m) => tenant.allowedModels.includes(m.id)).map((m) => ({ id: m.id, name: m.name }));

  return (
    <div className="grid gap-6">
      <PageHeader
        title="API keys"
        description={`${tenant.displayName} · ${seeAll ? "all keys of the tenant" : "your keys"} · budget ${formatCents(tenant.monthlyBudgetCents)} per ${tenant.budgetDuration}${teamSpendCents !== null ? `, ${formatCents(teamSpendCents)} spent` : ""}`}
      />
      {teamSpendCents === null ? (
        <Alert variant="warning">
          <AlertDescription>LiteLLM is not answering: spend is unknown and new keys cannot be created right now.</AlertDescription>
        </Alert>
      ) : null}
      <KeysClient
        tenantId={tenant.id}
        currentUserId={principal.userId}
        initialKeys={keys}
        showOwner={seeAll}
        canCreate={can(principal, "key.create", { tenantId: tenant.id })}
        policy={{
          models,
          maxKeyDays: tenant.maxKeyDays,
          rpmLimit: tenant.rpmLimit,
          tpmLimit: tenant.tpmLimit,
          budgetLeftCents,
        }}
      />
    </div>
  );
}
