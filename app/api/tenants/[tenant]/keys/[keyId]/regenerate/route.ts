import { route } from "@/lib/http/route";
import { env } from "@/lib/config/env";
import { regenerateKey } from "@/lib/keys/regenerate-key";
import { keySnippets } from "@/lib/keys/snippets";

export const dynamic = "force-dynamic";

export const POST = route<{ tenant: string; keyId: string }>("keys.regenerate", async ({ db, litellm, principal, params }) => {
  const { key, secret } = await regenerateKey(db, litellm, principal, params.tenant, params.keyId);
  return { key: { id: key.id, last4: key.last4 }, secret, snippets: keySnippets(env().LITELLM_PUBLIC_URL, secret, key.models[0] ?? "") };
});
