import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, validationError } from "@/lib/http/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import { IntegrationError } from "@/lib/integrations/http";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { centsToDollars, dollarsToCents } from "@/lib/money/cents";
import { enqueue } from "@/lib/outbox/enqueue";
import { budgetLeftCents, fetchTeamSpend, SPEND_MAX_AGE_MS } from "./budget";
import { getTenantOrThrow } from "@/lib/tenants/get-tenant-or-throw";
import { createKeyInput } from "./schemas";
import { newKeySecret } from "./secret";
import { checkAgainstTenant } from "./tenant-limits";
import { litellmKeyAlias, toUserError } from "./litellm-mapping";

const DAY_MS = 86_400_000;

/**
 * Creates a LiteLLM virtual key for the caller in one tenant.
 *
 * Consistency: the portal row is written first as `pending` (reserving budget and alias under a
 * lock on the tenant row), then LiteLLM is asked to create the key with a secret the portal chose.
 * If LiteLLM refuses, the row is removed; if it does not answer, the row is marked failed and an
 * outbox job deletes whatever LiteLLM may have created (found by the hash). So LiteLLM never
 * holds a key the portal does not know, and no active row lacks its LiteLLM key.
 */
export async function createKey(db: Db, litellm: LiteLLMClient, principal: Principal, tenantId: string, raw: unknown) {
  await assertAllowed(db, principal, "key.create", { tenantId }, { type: "tenant", id: tenantId });
  const tenant = await getTenantOrThrow(db, principal, tenantId);
  const parsed = createKeyInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const input = parsed.data;
  if (tenant.status !== "active") {
    throw new AppError("conflict", `${tenant.id} is still being provisioned in LiteLLM; try again in a moment`);
  }

  const spend = await fetchTeamSpend(litellm, tenant.id, SPEND_MAX_AGE_MS.reservation);
  const { secret, tokenHash, last4 } = newKeySecret();
  const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);

  const row = await db
    .$transaction(async (tx) => {
      // Serializes key creation per tenant so two requests cannot both spend the same budget.
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenant.id} FOR UPDATE`;
      const live = await tx.apiKey.findMany({
        where: { tenantId: tenant.id, status: { in: ["pending", "active"] } },
        // An explicit select overrides the client's default omit of tokenHash.
        select: { tokenHash: true, maxBudgetCents: true },
      });
      const fields = checkAgainstTenant(input, tenant, budgetLeftCents(tenant.monthlyBudgetCents, spend, live));
      if (Object.keys(fields).length) throw new AppError("validation", "Some fields are invalid", fields);
      return tx.apiKey.create({
        data: {
          tenantId: tenant.id,
          ownerId: principal.userId,
          alias: input.alias,
          tokenHash,
          last4,
          models: input.models,
          maxBudgetCents: input.maxBudget === null ? null : dollarsToCents(input.maxBudget),
          rpmLimit: input.rpmLimit,
          tpmLimit: input.tpmLimit,
          expiresAt,
          status: "pending",
        },
      });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new AppError("conflict", "Some fields are invalid", { alias: [`A live key named "${input.alias}" already exists in ${tenant.id}`] });
      }
      throw error;
    });

  try {
    await litellm.generateKey({
      key: secret,
      key_alias: litellmKeyAlias(tenant.id, input.alias, row.id),
      team_id: tenant.id,
      user_id: principal.email,
      models: input.models,
      max_budget: row.maxBudgetCents === null ? null : centsToDollars(row.maxBudgetCents),
      rpm_limit: input.rpmLimit,
      tpm_limit: input.tpmLimit,
      duration: `${input.expiresInDays}d`,
      metadata: { portal_key_id: row.id, owner: principal.email, managed_by: "inference-portal" },
    });
  } catch (error) {
    await undoPendingKey(db, principal, row.id, tenant.id, error);
    throw toUserError(error);
  }

  const active = await db.$transaction(async (tx) => {
    const updated = await tx.apiKey.update({ where: { id: row.id }, data: { status: "active", activatedAt: new Date() } });
    await recordAudit(tx, principal, {
      action: "key.create",
      outcome: "success",
      tenantId: tenant.id,
      targetType: "key",
      targetId: row.id,
      detail: { alias: input.alias, models: input.models, expiresAt, maxBudgetCents: row.maxBudgetCents, rpmLimit: input.rpmLimit, tpmLimit: input.tpmLimit },
    });
    return updated;
  });
  return { key: active, secret };
}

async function undoPendingKey(db: Db, principal: Principal, keyId: string, tenantId: string, error: unknown) {
  const ambiguous = !(error instanceof IntegrationError) || error.ambiguous;
  await db.$transaction(async (tx) => {
    if (ambiguous) {
      // LiteLLM may have created the key before failing to answer: keep the row (as failed)
      // so the outbox can find the key by hash and delete it.
      await tx.apiKey.update({ where: { id: keyId }, data: { status: "failed", failureReason: (error as Error).message.slice(0, 500) } });
      await enqueue(tx, { kind: "litellm.key.abandon", dedupeKey: `key-abandon:${keyId}`, tenantId, payload: { keyId } });
    } else {
      await tx.apiKey.delete({ where: { id: keyId } });
    }
    await recordAudit(tx, principal, {
      action: "key.create",
      outcome: "failure",
      tenantId,
      targetType: "key",
      targetId: keyId,
      detail: { reason: (error as Error).message },
    });
  });
}
