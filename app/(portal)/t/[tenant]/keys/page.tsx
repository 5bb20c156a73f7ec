import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { litellmFromEnv } from "@/lib/integrations/litellm/client";
import { listKeys } from "@/lib/keys/list-keys";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { formatCents } from "@/lib/money/cents";
import { KeysClient } from "./keys-client";

// No tenant name in the title: titles must not confirm another tenant exists.
export const metadata: Metadata = { title: "API keys" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function KeysPage({ params, searchParams }: Props) {
  const { tenant: tenantId } = await params;
  const { before: beforeParam } = await searchParams;
  const before = typeof beforeParam === "string" && !Number.isNaN(Date.parse(beforeParam)) ? new Date(beforeParam) : undefined;
  const principal = await requirePagePrincipal(`/t/${tenantId}/keys`);
  const db = await getDb();
  const { tenant, keys, seeAll, budgetLeftCents, teamSpendCents, total, nextBefore } = await forPage(() =>
    listKeys(db, litellmFromEnv(), principal, tenantId, { before }),
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
        before={before?.toISOString()}
      />
      <div className="flex items-center justify-between text-sm text-muted-foreground">
        <span>
          {total === 0 ? "" : `${keys.length} of ${total} keys${before ? " (older)" : ""}, newest first`}
        </span>
        <span className="flex gap-4">
          {before ? <Link href={`/t/${tenant.id}/keys`} className="underline-offset-4 hover:underline">Newest</Link> : null}
          {nextBefore ? (
            <Link href={`/t/${tenant.id}/keys?before=${encodeURIComponent(nextBefore)}`} className="underline-offset-4 hover:underline">
              Older keys →
            </Link>
          ) : null}
        </span>
      </div>
    </div>
  );
}
