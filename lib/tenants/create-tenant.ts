import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, validationError } from "@/lib/http/errors";
import { dollarsToCents } from "@/lib/money/cents";
import { enqueue } from "@/lib/outbox/enqueue";
import { isUniqueViolation } from "@/lib/db/errors";
import { createTenantInput } from "./schemas";

/**
 * Creates the tenant and, through the outbox, its LiteLLM team. The row, its group mappings,
 * the job and the audit event commit together: either all exist or none does.
 */
export async function createTenant(db: Db, principal: Principal, raw: unknown) {
  await assertAllowed(db, principal, "tenant.create");
  const parsed = createTenantInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const input = parsed.data;
  const overlap = input.memberGroups.filter((g) => input.adminGroups.includes(g));
  if (overlap.length) {
    throw new AppError("validation", "Some fields are invalid", {
      memberGroups: [`Also listed as admin group: ${overlap.join(", ")}`],
    });
  }

  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({
        data: {
          id: input.slug,
          displayName: input.displayName,
          allowedModels: input.allowedModels,
          monthlyBudgetCents: dollarsToCents(input.monthlyBudget),
          budgetDuration: input.budgetDuration,
          rpmLimit: input.rpmLimit,
          tpmLimit: input.tpmLimit,
          maxKeyDays: input.maxKeyDays,
          costCenter: input.costCenter || null,
          status: "provisioning",
          groups: {
            create: [
              ...input.memberGroups.map((group) => ({ group, role: "developer" })),
              ...input.adminGroups.map((group) => ({ group, role: "tenant-admin" })),
            ],
          },
        },
      });
      await enqueue(tx, { kind: "litellm.team.sync", dedupeKey: `team-sync:${tenant.id}:create`, tenantId: tenant.id, payload: { tenantId: tenant.id } });
      await recordAudit(tx, principal, {
        action: "tenant.create",
        outcome: "success",
        tenantId: tenant.id,
        targetType: "tenant",
        targetId: tenant.id,
        detail: { after: input },
      });
      return tenant;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "A tenant with this slug already exists", { slug: ["Already taken"] });
    }
    throw error;
  }
}
