import type { Db } from "@/lib/db/client";
import type { FileChange } from "@/lib/integrations/github/platform-repo";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { dollarsToCents } from "@/lib/money/cents";
import { syncTeam } from "@/lib/tenants/sync-team";
import { note, supersedeEarlier, transition } from "./lifecycle";
import { teamSpecsOf } from "./team-spec";

const ACTOR = "system:litellm";

/**
 * Outbox handler after merge: the merged LiteLLM team spec becomes the tenant's row and its
 * LiteLLM team. Idempotent — it writes absolute values, and syncTeam overwrites the team — so a
 * retry after a crash changes nothing twice. Requests that Argo CD does not track (LiteLLM-only
 * changes) are live once LiteLLM has the change.
 */
export async function applyToLiteLLM(db: Db, litellm: LiteLLMClient, requestId: string): Promise<void> {
  const request = await db.changeRequest.findUnique({ where: { id: requestId } });
  if (!request || !["merged", "syncing", "live"].includes(request.status)) return;
  const payload = request.payload as { displayName?: string; adminGroups?: string[]; memberGroups?: string[]; costCenter?: string | null };
  for (const spec of teamSpecsOf(request.files as FileChange[])) {
    const values = {
      allowedModels: spec.models,
      monthlyBudgetCents: dollarsToCents(spec.max_budget),
      budgetDuration: spec.budget_duration,
      rpmLimit: spec.rpm_limit ?? null,
      tpmLimit: spec.tpm_limit ?? null,
    };
    await db.tenant.upsert({
      where: { id: spec.team_id },
      update: values,
      create: {
        id: spec.team_id,
        displayName: payload.displayName ?? spec.team_alias ?? spec.team_id,
        costCenter: payload.costCenter ?? null,
        ...values,
        groups: {
          create: [
            ...(payload.memberGroups ?? []).map((group) => ({ group, role: "developer" })),
            ...(payload.adminGroups ?? []).map((group) => ({ group, role: "tenant-admin" })),
          ],
        },
      },
    });
    await syncTeam(db, litellm, spec.team_id);
  }
  await db.$transaction(async (tx) => {
    await note(tx, request.id, "litellm", ACTOR, "Applied to the LiteLLM team (models, budget, limits)");
    await recordAudit(tx, null, { action: "request.apply-litellm", outcome: "success", tenantId: request.tenantId, targetType: "request", targetId: request.id });
    if (!request.argoApp && (await transition(tx, request, "live", { actor: ACTOR, message: "LiteLLM has the change" }))) {
      await supersedeEarlier(tx, request);
    }
  });
}
