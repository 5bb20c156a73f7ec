import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/errors";
import { IntegrationError } from "@/lib/integrations/http";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { getKeyOrThrow } from "./get-key-or-throw";
import { toUserError } from "./litellm-mapping";
import { newKeySecret } from "./secret";

/**
 * Replaces the key's secret (LiteLLM invalidates the old one at once) and shows the new one once.
 * Only the owner may do it: whoever regenerates sees the new secret.
 */
export async function regenerateKey(db: Db, litellm: LiteLLMClient, principal: Principal, tenantId: string, keyId: string) {
  const key = await getKeyOrThrow(db, principal, tenantId, keyId, "key.regenerate-own");
  if (key.status !== "active" || key.expiresAt < new Date()) {
    throw new AppError("conflict", "Only active, unexpired keys can be regenerated");
  }
  const next = newKeySecret();
  try {
    await litellm.regenerateKey(key.tokenHash, next.secret);
  } catch (error) {
    // No answer does not mean no change: if LiteLLM knows the new hash, the swap happened.
    const happened = error instanceof IntegrationError && error.ambiguous && (await knows(litellm, next.tokenHash));
    if (!happened) {
      await recordAudit(db, principal, { action: "key.regenerate", outcome: "failure", tenantId, targetType: "key", targetId: key.id, detail: { reason: (error as Error).message } });
      throw toUserError(error);
    }
  }
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.update({
      where: { id: key.id, tenantId },
      data: { tokenHash: next.tokenHash, last4: next.last4, regeneratedAt: new Date() },
    });
    await recordAudit(tx, principal, { action: "key.regenerate", outcome: "success", tenantId, targetType: "key", targetId: key.id, detail: { alias: key.alias } });
    return row;
  });
  return { key: updated, secret: next.secret };
}

async function knows(litellm: LiteLLMClient, tokenHash: string): Promise<boolean> {
  try {
    await litellm.keyInfo(tokenHash);
    return true;
  } catch {
    return false;
  }
}
