import { generateKeyPairSync, randomUUID } from "node:crypto";

/**
 * A fresh RS256 signing key per start, like Dex's rotating keys: tokens from a
 * previous run stop verifying, which is what a real key rotation looks like.
 */
export function generateSigningJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };
}
