import { route } from "@/lib/http/route";
import { revokeKey } from "@/lib/keys/revoke-key";

export const dynamic = "force-dynamic";

export const POST = route<{ tenant: string; keyId: string }>("keys.revoke", async ({ db, litellm, principal, params }) => {
  const key = await revokeKey(db, litellm, principal, params.tenant, params.keyId);
  return { key: { id: key.id, status: key.status, revokedAt: key.revokedAt } };
});
