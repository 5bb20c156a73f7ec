import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/errors";
import { IntegrationError } from "@/lib/integrations/http";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { getKeyOrThrow } from "./get-key-or-throw";
import { toUserError } from "./litellm-mapping";

/**
 * Deletes the key in LiteLLM first, then marks it revoked. If the second step fails, repeating
 * the revoke is safe: LiteLLM's "not found" counts as already deleted.
 */
export async function revokeKey(db: Db, litellm: LiteLLMClient, principal: Principal, tenantId: string, keyId: string) {
  const key = await getKeyOrThrow(db, principal, tenantId, keyId, "key.revoke-own");
  if (key.status !== "active") throw new AppError("conflict", `This key is ${key.status}; only active keys can be revoked`);
  try {
    await litellm.deleteKeys([key.tokenHash]);
  } catch (error) {
    if (!(error instanceof IntegrationError) || error.status !== 404) {
      await recordAudit(db, principal, { action: "key.revoke", outcome: "failure", tenantId, targetType: "key", targetId: key.id, detail: { reason: (error as Error).message } });
      throw toUserError(error);
    }
  }
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({
      where: { id: key.id, tenantId },
      data: { status: "revoked", revokedAt: new Date(), revokedById: principal.userId },
    });
    await recordAudit(tx, principal, {
      action: "key.revoke",
      outcome: "success",
      tenantId,
      targetType: "key",
      targetId: key.id,
      detail: { alias: key.alias, owner: key.owner.email },
    });
    return revoked;
  });
}
