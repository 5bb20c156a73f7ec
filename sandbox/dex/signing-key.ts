import { randomUUID } from "node:crypto";

/**
 * A fresh RS256 signing key per start, like Dex's rotating keys: tokens from a
 * previous run stop verifying, which is what a real key rotation looks like.
 *
 * WebCrypto, not generateKeyPairSync + KeyObject.export({ format: "jwk" }): on Node 20 that
 * pair can deadlock when a garbage collection during the JWK export finalizes an RSA key-gen
 * job (seen: a test worker stuck in a futex under KeyGenJob::~KeyGenJob). Async generation and
 * export run off the main thread and never hold that lock on it.
 */
export async function generateSigningJwk(): Promise<Record<string, unknown>> {
  const { privateKey } = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const { key_ops: _ops, ext: _ext, ...rest } = jwk;
  return { ...rest, kid: randomUUID(), alg: "RS256", use: "sig" };
}
