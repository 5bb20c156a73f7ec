import type { Db } from "@/lib/db/client";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { IntegrationError } from "@/lib/integrations/http";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/outbox/enqueue";

// A create request that has not finished after this long has crashed or hung.
const STALE_PENDING_MS = 2 * 60_000;

/**
 * Removes from LiteLLM a key whose creation the portal could not confirm. Its secret was never
 * shown to anyone, so deleting is the only safe outcome. Idempotent: a key already gone is done.
 */
export async function abandonKey(db: Db, litellm: LiteLLMClient, keyId: string): Promise<void> {
  const key = await db.apiKey.findUnique({ where: { id: keyId }, omit: { tokenHash: false } });
  if (!key || key.status === "active" || key.status === "revoked") return;
  let deleted = false;
  try {
    await litellm.keyInfo(key.tokenHash);
    await litellm.deleteKeys([key.tokenHash]);
    deleted = true;
  } catch (error) {
    if (!(error instanceof IntegrationError) || error.status !== 404) throw error;
  }
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id: key.id }, data: { status: "failed" } });
    await recordAudit(tx, null, {
      action: "key.abandon",
      outcome: "success",
      tenantId: key.tenantId,
      targetType: "key",
      targetId: key.id,
      detail: { deletedFromLiteLLM: deleted },
    });
  });
}

/** Pending rows left by a crashed request get the same cleanup. */
export async function sweepStalePendingKeys(db: Db): Promise<void> {
  const stale = await db.apiKey.findMany({
    where: { status: "pending", createdAt: { lt: new Date(Date.now() - STALE_PENDING_MS) } },
    select: { id: true, tenantId: true },
    take: 50,
  });
  for (const key of stale) {
    await db.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: key.id }, data: { status: "failed", failureReason: "creation did not finish" } });
      await enqueue(tx, { kind: "litellm.key.abandon", dedupeKey: `key-abandon:${key.id}`, tenantId: key.tenantId, payload: { keyId: key.id } });
    });
  }
}
