import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Budget alert webhooks are signed like Slack's request signing, so receivers can reuse the same
 * verification code:
 *   X-Portal-Request-Timestamp: <unix seconds>
 *   X-Portal-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)>
 * Receivers must recompute over the raw body and reject timestamps older than five minutes
 * (replay). The body is Slack-compatible (`text` plus `blocks`), so a Slack incoming-webhook URL
 * works as a receiver too (Slack ignores the extra headers).
 */
export const SIGNATURE_HEADER = "x-portal-signature";
export const TIMESTAMP_HEADER = "x-portal-request-timestamp";
export const MAX_SKEW_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function verifyWebhook(secret: string, headers: { timestamp: string | null; signature: string | null }, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  if (!headers.timestamp || !headers.signature || !/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type AlertMessage = {
  tenantId: string;
  tenantName: string;
  thresholdPct: number;
  spendCents: number;
  budgetCents: number;
  periodStart: Date;
  resetsAt: Date | null;
  currency: string;
  portalUrl: string;
};

const money = (cents: number, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);

/** Slack-compatible payload. Only tenant name, figures and a link: no keys, users or prompts. */
export function alertPayload(m: AlertMessage): { text: string; blocks: unknown[] } {
  const text = `Budget alert: ${m.tenantName} (${m.tenantId}) crossed ${m.thresholdPct}% of its budget: ${money(m.spendCents, m.currency)} of ${money(m.budgetCents, m.currency)}.`;
  const link = `${m.portalUrl}/costs/${encodeURIComponent(m.tenantId)}`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: `Budget window from ${m.periodStart.toISOString().slice(0, 10)}${m.resetsAt ? `, resets ${m.resetsAt.toISOString().slice(0, 10)}` : ""} (UTC). <${link}|Open the cost page>` },
        ],
      },
    ],
  };
}
