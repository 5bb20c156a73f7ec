import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE_HEADER = /^sha256=[0-9a-f]{64}$/i;

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw request body with the
 * webhook secret. Compared in constant time; anything malformed is simply not valid.
 */
export function verifyWebhookSignature(secret: string, rawBody: string | Buffer, header: string | null): boolean {
  // Buffer.from(hex) stops at the first non-hex character, so the format is checked first:
  // otherwise a valid digest followed by anything would pass.
  if (!header || !SIGNATURE_HEADER.test(header)) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
