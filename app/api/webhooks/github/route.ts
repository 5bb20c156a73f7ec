import type { NextRequest } from "next/server";
import { env } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { verifyWebhookSignature } from "@/lib/integrations/github/webhook-signature";
import { logger } from "@/lib/observability/log";
import { handleWebhook } from "@/lib/requests/handle-webhook";
import { platformFromEnv } from "@/lib/requests/platform";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const DELIVERY_ID = /^[\w-]{1,64}$/;

// Not behind the session gate: GitHub authenticates with the HMAC over the raw body instead.
export async function POST(req: NextRequest) {
  const raw = await req.text();
  if (raw.length > MAX_BODY_BYTES) return Response.json({ error: { code: "validation", message: "Payload too large" } }, { status: 413 });
  if (!verifyWebhookSignature(env().GITHUB_WEBHOOK_SECRET, raw, req.headers.get("x-hub-signature-256"))) {
    logger.warn("webhook with a bad or missing signature", { delivery: req.headers.get("x-github-delivery") });
    return Response.json({ error: { code: "unauthenticated", message: "Invalid signature" } }, { status: 401 });
  }
  const id = req.headers.get("x-github-delivery") ?? "";
  const event = req.headers.get("x-github-event") ?? "";
  if (!DELIVERY_ID.test(id) || !event) return Response.json({ error: { code: "validation", message: "Missing delivery headers" } }, { status: 400 });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return Response.json({ error: { code: "validation", message: "Body is not JSON" } }, { status: 400 });
  }
  try {
    const outcome = await handleWebhook(await getDb(), platformFromEnv(), { id, event, body });
    return Response.json({ outcome }, { status: 200 });
  } catch (error) {
    logger.error("webhook processing failed", { delivery: id, event, error });
    return Response.json({ error: { code: "internal", message: "Processing failed; redeliver" } }, { status: 500 });
  }
}
