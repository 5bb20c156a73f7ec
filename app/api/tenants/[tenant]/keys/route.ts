import { json, readJson, route } from "@/lib/http/route";
import { createKey } from "@/lib/keys/create-key";
import { listKeys } from "@/lib/keys/list-keys";
import { toKeyView } from "@/lib/keys/list-keys";
import { keySnippets } from "@/lib/keys/snippets";
import { env } from "@/lib/config/env";
import { z } from "zod";
import { validationError } from "@/lib/http/errors";

export const dynamic = "force-dynamic";
type Params = { tenant: string };

const pageQuery = z.object({ before: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(200).optional() });

export const GET = route<Params>("keys.list", async ({ db, litellm, principal, params, req }) => {
  const parsed = pageQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const { before, limit } = parsed.data;
  const page = await listKeys(db, litellm, principal, params.tenant, { before: before ? new Date(before) : undefined, limit });
  return { keys: page.keys, total: page.total, nextBefore: page.nextBefore, spendAvailable: page.teamSpendCents !== null };
});

export const POST = route<Params>("keys.create", async ({ db, litellm, principal, params, req }) => {
  const { key, secret } = await createKey(db, litellm, principal, params.tenant, await readJson(req));
  const owner = { id: principal.userId, email: principal.email, name: principal.name };
  return json(
    {
      key: toKeyView({ ...key, owner }, 0),
      // Shown once: the portal does not store it and cannot show it again.
      secret,
      snippets: keySnippets(env().LITELLM_PUBLIC_URL, secret, key.models[0] ?? ""),
    },
    201,
  );
});
