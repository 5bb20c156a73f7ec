import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw request body with the
 * webhook secret. Compared in constant time; anything malformed is simply not valid.
 */
export function verifyWebhookSignature(secret: string, rawBody: string | Buffer, header: string | null): boolean {
  if (!header || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
