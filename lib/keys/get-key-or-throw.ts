import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import type { Action } from "@/lib/auth/policy";
import { notFound } from "@/lib/http/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a key of the tenant named in the URL (the tenant is in the WHERE, so a key id of
 * another tenant is simply not found) and authorizes `action` on it as owner or tenant staff.
 */
export async function getKeyOrThrow(db: Db, principal: Principal, tenantId: string, keyId: string, action: Action) {
  await assertAllowed(db, principal, "tenant.view", { tenantId }, { type: "key", id: keyId });
  if (!UUID.test(keyId)) throw notFound();
  const key = await db.apiKey.findFirst({
    where: { id: keyId, tenantId },
    include: { owner: { select: { id: true, email: true, name: true } } },
    omit: { tokenHash: false },
  });
  if (!key) throw notFound();
  await assertAllowed(db, principal, action, { tenantId, ownerId: key.ownerId }, { type: "key", id: keyId });
  return key;
}
