import { createHash, randomBytes } from "node:crypto";

/** LiteLLM stores and indexes keys only by this: sha256 hex of the secret. */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** LiteLLM's own format: "sk-" + secrets.token_urlsafe(16). */
export function generateSecret(): string {
  return `sk-${randomBytes(16).toString("base64url")}`;
}

/** The short hint LiteLLM keeps in `key_name`. */
export function keyNameOf(secret: string): string {
  return `sk-...${secret.slice(-4)}`;
}

/**
 * Management endpoints accept either the secret or its hash, told apart by the
 * "sk-" prefix exactly as LiteLLM does.
 */
export function tokenFor(secretOrHash: string): string {
  return secretOrHash.startsWith("sk-") ? hashToken(secretOrHash) : secretOrHash;
}
