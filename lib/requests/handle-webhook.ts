import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Platform } from "./platform";
import { reconcilePull } from "./reconcile";

const pullEvent = z.looseObject({ pull_request: z.looseObject({ number: z.number().int() }) });

export type WebhookOutcome = "processed" | "duplicate" | "ignored";

/**
 * A verified GitHub delivery. Each delivery id is processed once (GitHub redelivers on timeouts
 * and people redeliver by hand). The payload is only a hint of which PR changed: the state is
 * read back from GitHub, so a forged-but-signed or stale payload cannot set a status.
 */
export async function handleWebhook(db: Db, platform: Platform, delivery: { id: string; event: string; body: unknown }): Promise<WebhookOutcome> {
  try {
    await db.webhookDelivery.create({ data: { deliveryId: delivery.id, event: delivery.event } });
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
  try {
    if (delivery.event !== "pull_request" && delivery.event !== "pull_request_review") return "ignored";
    const parsed = pullEvent.safeParse(delivery.body);
    if (!parsed.success) return "ignored";
    const request = await db.changeRequest.findFirst({ where: { prNumber: parsed.data.pull_request.number } });
    if (!request) return "ignored";
    await reconcilePull(db, platform, request);
    return "processed";
  } catch (error) {
    // Not processed: forget the delivery so GitHub's retry is not mistaken for a duplicate.
    await db.webhookDelivery.delete({ where: { deliveryId: delivery.id } }).catch(() => undefined);
    throw error;
  }
}
