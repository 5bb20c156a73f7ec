import { badRequest, notFound, RequestValidationError } from "../errors";
import { generateSecret, hashToken, keyNameOf, tokenFor } from "../key-secret";
import { checkAliasUnique, checkDurations, checkKeyAgainstTeam, checkUserDefinedSecret } from "../key-policy";
import { generateKeySchema, parseBody } from "../request-schemas";
import { generateKeyResponse, newKeyRow } from "../rows";
import type { Route } from "../route-types";
import type { KeyRow } from "../state-schema";
import type { LiteLLMStore } from "../store";

export function getKeyOrThrow(store: LiteLLMStore, secretOrHash: string): KeyRow {
  const key = store.getKey(tokenFor(secretOrHash));
  if (!key) throw notFound("Key not found in database. Pass the key (sk-...) or its hash (token).");
  return key;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/** FastAPI's `Query(ge=1, le=max)`: out-of-range values are a 422, not clamped. */
function intQuery(value: string | null, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw RequestValidationError.query(name, "int_parsing", "Input should be a valid integer, unable to parse string as an integer");
  }
  if (n < 1) throw RequestValidationError.query(name, "greater_than_equal", "Input should be greater than or equal to 1");
  if (n > max) throw RequestValidationError.query(name, "less_than_equal", `Input should be less than or equal to ${max}`);
  return n;
}

export const keyRoutes: Route[] = [
  {
    method: "POST",
    path: "/key/generate",
    auth: "master",
    async handler({ json, store }) {
      const input = parseBody(generateKeySchema, await json());
      checkDurations(input);
      const secret = input.key ?? generateSecret();
      const token = hashToken(secret);
      if (input.key) checkUserDefinedSecret(store, input.key, token, "key");
      checkAliasUnique(store, input.key_alias);
      checkKeyAgainstTeam(store, {
        team_id: input.team_id ?? null,
        models: input.models ?? [],
        max_budget: input.max_budget ?? null,
        tpm_limit: input.tpm_limit ?? null,
        rpm_limit: input.rpm_limit ?? null,
      });
      const row = newKeyRow(input, token, keyNameOf(secret), store.now());
      store.insertKey(row);
      return { body: generateKeyResponse(row, secret, input.duration ?? null) };
    },
  },
  {
    method: "GET",
    path: "/key/info",
    auth: "master",
    handler({ url, store }) {
      const given = url.searchParams.get("key");
      if (!given) throw badRequest("Malformed request. No key passed in.", "key");
      return { body: { key: given, info: getKeyOrThrow(store, given) } };
    },
  },
  {
    method: "GET",
    path: "/key/list",
    auth: "master",
    handler({ url, store }) {
      const q = url.searchParams;
      const page = intQuery(q.get("page"), 1, "page");
      // LiteLLM caps `size` at 100 (a larger value is rejected, so clients must page).
      const size = intQuery(q.get("size"), DEFAULT_PAGE_SIZE, "size", MAX_PAGE_SIZE);
      const filters: Array<[keyof KeyRow, string | null]> = [
        ["team_id", q.get("team_id")],
        ["key_alias", q.get("key_alias")],
        ["user_id", q.get("user_id")],
        ["organization_id", q.get("organization_id")],
      ];
      const matching = store
        .listKeys()
        .filter((k) => filters.every(([field, value]) => value === null || k[field] === value))
        // LiteLLM lists newest first.
        .sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""));
      const pageRows = matching.slice((page - 1) * size, page * size);
      const full = q.get("return_full_object") === "true";
      return {
        body: {
          keys: full ? pageRows : pageRows.map((k) => k.token),
          total_count: matching.length,
          current_page: page,
          total_pages: Math.ceil(matching.length / size),
        },
      };
    },
  },
];
