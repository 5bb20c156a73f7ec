import { route } from "@/lib/http/route";
import { getKeyOrThrow } from "@/lib/keys/get-key-or-throw";
import { toKeyView } from "@/lib/keys/list-keys";

export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string; keyId: string }>("keys.get", async ({ db, principal, params }) => {
  const { tokenHash: _hash, ...key } = await getKeyOrThrow(db, principal, params.tenant, params.keyId, "key.view-own");
  return { key: toKeyView(key, null) };
});
