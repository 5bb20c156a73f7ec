import type { IncomingMessage } from "node:http";
import { presentedKey } from "../auth";
import { authError, LiteLLMError } from "../errors";
import { hashToken, keyNameOf } from "../key-secret";
import type { KeyRow, TeamRow } from "../state-schema";
import type { LiteLLMStore } from "../store";
import { pyIso } from "../time";

/** Who is calling the gateway: a virtual key (and its team), or the master key. */
export type Caller =
  | { kind: "master"; token: string }
  | { kind: "key"; token: string; key: KeyRow; team: TeamRow | undefined };

/** LiteLLM's user_api_key_auth: key exists, is not expired, not blocked, team not blocked. */
export function authenticateCaller(req: IncomingMessage, store: LiteLLMStore, masterKey: string): Caller {
  const secret = presentedKey(req);
  if (!secret) throw authError("Authentication Error, No api key passed in.");
  const token = hashToken(secret);
  if (token === hashToken(masterKey)) return { kind: "master", token };

  const key = store.getKey(token);
  if (!key) {
    // Only the short hint is echoed: secrets never go into error messages or logs.
    throw authError(
      `Authentication Error, Invalid proxy server token passed. Received API Key = ${keyNameOf(secret)}. ` +
        "Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
    );
  }
  const now = store.now();
  if (key.expires && new Date(key.expires) < now) {
    throw new LiteLLMError(
      401,
      "expired_key",
      `Authentication Error - Expired Key. Key Expiry time ${key.expires} and current time ${pyIso(now)}`,
    );
  }
  if (key.blocked === true) {
    throw authError("Authentication Error, Key is blocked. Update via `/key/unblock` if you're admin.");
  }
  const team = key.team_id ? store.getTeam(key.team_id) : undefined;
  if (team?.blocked) {
    throw authError(`Authentication Error, Team=${team.team_id} is blocked. Update via \`/team/unblock\` if you're admin.`);
  }
  return { kind: "key", token, key, team };
}
