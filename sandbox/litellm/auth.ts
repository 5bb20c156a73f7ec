import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { authError } from "./errors";
import { hashToken } from "./key-secret";

/** LiteLLM reads `Authorization: Bearer`, or its own `x-litellm-api-key` header. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match?.[1]?.trim();
  }
  const alt = req.headers["x-litellm-api-key"];
  return typeof alt === "string" ? alt.replace(/^Bearer\s+/i, "").trim() : undefined;
}

export function requireMasterKey(req: IncomingMessage, masterKey: string): void {
  const key = presentedKey(req);
  if (!key) throw authError("Authentication Error, No api key passed in.");
  // Compare hashes so the comparison is constant-time regardless of length.
  const ok = timingSafeEqual(Buffer.from(hashToken(key), "hex"), Buffer.from(hashToken(masterKey), "hex"));
  if (!ok) {
    throw authError(
      "Authentication Error, Invalid proxy server token passed. Management endpoints require the master key.",
    );
  }
}
