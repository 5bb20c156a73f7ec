import { applyUpdates } from "../apply-updates";
import { addDuration } from "../durations";
import { notFound } from "../errors";
import { generateSecret, hashToken, keyNameOf, tokenFor } from "../key-secret";
import { checkAliasUnique, checkDurations, checkKeyAgainstTeam, checkUserDefinedSecret, limitsOf } from "../key-policy";
import {
  blockKeySchema,
  deleteKeysSchema,
  parseBody,
  regenerateKeySchema,
  updateKeySchema,
  type RegenerateKeyRequest,
  type UpdateKeyRequest,
} from "../request-schemas";
import { generateKeyResponse, resetAtFor } from "../rows";
import type { Route, RouteContext } from "../route-types";
import type { KeyRow } from "../state-schema";
import type { LiteLLMStore } from "../store";
import { pyIso } from "../time";
import { getKeyOrThrow } from "./keys";

const CLEARED_KEY_FIELDS = {
  key_alias: null,
  team_id: null,
  user_id: null,
  models: [],
  max_budget: null,
  tpm_limit: null,
  rpm_limit: null,
  max_parallel_requests: null,
  metadata: {},
  model_max_budget: {},
  aliases: {},
  config: {},
  permissions: {},
  allowed_cache_controls: [],
  blocked: null,
  budget_duration: null,
  spend: 0,
} satisfies Partial<KeyRow>;

/**
 * Validates an update against a copy first, so a rejected update leaves the
 * stored key untouched.
 */
function updatedCopy(store: LiteLLMStore, key: KeyRow, input: UpdateKeyRequest | RegenerateKeyRequest): KeyRow {
  checkDurations(input);
  checkAliasUnique(store, input.key_alias, key.token);
  const next: KeyRow = structuredClone(key);
  applyUpdates(next, input, CLEARED_KEY_FIELDS);
  // Only re-validate against the team when the update touches what the team bounds,
  // so editing metadata still works after the team itself was narrowed.
  const touchesTeamBounds = (["team_id", "models", "max_budget", "tpm_limit", "rpm_limit"] as const).some((f) => input[f] !== undefined);
  if (touchesTeamBounds) checkKeyAgainstTeam(store, limitsOf(next));
  const now = store.now();
  if (input.budget_duration !== undefined) next.budget_reset_at = resetAtFor(input.budget_duration, now);
  if (input.duration !== undefined) next.expires = input.duration ? pyIso(addDuration(now, input.duration)) : null;
  next.updated_at = pyIso(now);
  return next;
}

async function regenerate(ctx: RouteContext, pathKey: string | undefined) {
  const input = parseBody(regenerateKeySchema, await ctx.json());
  const given = pathKey ?? input.key;
  if (!given) throw notFound("Key not found in database. Pass the key to regenerate.");
  const { store } = ctx;
  const key = getKeyOrThrow(store, given);
  const secret = input.new_key ?? generateSecret();
  const token = hashToken(secret);
  if (input.new_key) checkUserDefinedSecret(store, input.new_key, token, "new_key");
  const next = updatedCopy(store, key, input);
  // Spend, limits and models carry over; the old secret stops working at once.
  next.token = token;
  next.key_name = keyNameOf(secret);
  next.rotation_count = (key.rotation_count ?? 0) + 1;
  next.last_rotation_at = next.updated_at;
  store.rekey(key.token, next);
  return { body: generateKeyResponse(next, secret, input.duration ?? null) };
}

function setBlocked(blocked: boolean) {
  return async ({ json, store }: RouteContext) => {
    const { key: given } = parseBody(blockKeySchema, await json());
    const key = getKeyOrThrow(store, given);
    key.blocked = blocked;
    key.updated_at = pyIso(store.now());
    store.changed();
    return { body: key };
  };
}

export const keyMutationRoutes: Route[] = [
  {
    method: "POST",
    path: "/key/update",
    auth: "master",
    async handler({ json, store }) {
      const input = parseBody(updateKeySchema, await json());
      const key = getKeyOrThrow(store, input.key);
      const next = updatedCopy(store, key, input);
      store.rekey(key.token, next);
      // LiteLLM echoes the key as given next to the updated fields.
      return { body: { ...next, key: input.key } };
    },
  },
  {
    method: "POST",
    path: "/key/delete",
    auth: "master",
    async handler({ json, store }) {
      const input = parseBody(deleteKeysSchema, await json());
      const deleted: string[] = [];
      for (const given of input.keys ?? []) {
        if (store.deleteKey(tokenFor(given))) deleted.push(given);
      }
      for (const alias of input.key_aliases ?? []) {
        const key = store.findKeyByAlias(alias);
        if (key && store.deleteKey(key.token)) deleted.push(alias);
      }
      // Deleting something already gone is a 404 (retrying callers must treat it as done).
      if (deleted.length === 0) throw notFound("Failed to delete keys: none of the passed keys exist.");
      return { body: { deleted_keys: deleted } };
    },
  },
  { method: "POST", path: "/key/regenerate", auth: "master", handler: (ctx) => regenerate(ctx, undefined) },
  { method: "POST", path: "/key/:key/regenerate", auth: "master", handler: (ctx) => regenerate(ctx, ctx.params.key) },
  { method: "POST", path: "/key/block", auth: "master", handler: setBlocked(true) },
  { method: "POST", path: "/key/unblock", auth: "master", handler: setBlocked(false) },
];
