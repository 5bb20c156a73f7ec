import { createHash, randomBytes } from "node:crypto";

/** A LiteLLM virtual key. The portal picks it so a timed-out create can be found again by hash. */
export function newKeySecret(): { secret: string; tokenHash: string; last4: string } {
  const secret = `sk-${randomBytes(24).toString("base64url")}`;
  return { secret, tokenHash: hashKey(secret), last4: secret.slice(-4) };
}

/** LiteLLM stores and looks keys up by the sha256 hex of the secret (its `token`). */
export function hashKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
