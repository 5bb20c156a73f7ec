import type { Db } from "@/lib/db/client";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { IntegrationError } from "@/lib/integrations/http";
import { recordAudit } from "@/lib/audit/record-audit";
import { centsToDollars } from "@/lib/money/cents";

/**
 * Makes the tenant's LiteLLM team match the portal's row. Safe to repeat: it reads the team
 * first and creates it only when LiteLLM does not know it, otherwise overwrites its fields.
 */
export async function syncTeam(db: Db, litellm: LiteLLMClient, tenantId: string): Promise<void> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) return; // deleted since the job was queued: nothing left to mirror
  const spec = {
    team_id: tenant.id,
    team_alias: tenant.displayName,
    models: tenant.allowedModels,
    max_budget: centsToDollars(tenant.monthlyBudgetCents),
    budget_duration: tenant.budgetDuration,
    rpm_limit: tenant.rpmLimit,
    tpm_limit: tenant.tpmLimit,
    metadata: { managed_by: "inference-portal", cost_center: tenant.costCenter },
  };
  let created = false;
  try {
    await litellm.teamInfo(tenant.id);
    await litellm.updateTeam(spec);
  } catch (error) {
    if (!(error instanceof IntegrationError) || error.status !== 404) throw error;
    await litellm.createTeam(spec);
    created = true;
  }
  await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenant.id }, data: { status: "active", litellmSyncedAt: new Date() } });
    await recordAudit(tx, null, {
      action: created ? "litellm.team.create" : "litellm.team.update",
      outcome: "success",
      tenantId: tenant.id,
      targetType: "litellm-team",
      targetId: tenant.id,
    });
  });
}
