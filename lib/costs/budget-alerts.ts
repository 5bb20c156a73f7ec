import { env } from "@/lib/config/env";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { enqueue } from "@/lib/outbox/enqueue";
import { alertPayload, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./alert-webhook";
import { budgetWindowAt } from "./budget-window";
import { microsToCents } from "./money";
import { startOfUtcDay } from "./period";

export const THRESHOLDS = [80, 90, 100] as const;
export const ALERT_JOB = "cost.budget-alert.deliver" as const;

/** Thresholds reached by `spend` of `budget` (integer comparison: no float at the boundary). */
export function crossedThresholds(spendCents: number, budgetCents: number, thresholds: readonly number[] = THRESHOLDS): number[] {
  if (budgetCents <= 0) return [];
  return thresholds.filter((pct) => spendCents * 100 >= budgetCents * pct);
}

/**
 * Records each threshold a tenant's token spend crossed in its current budget window (LiteLLM
 * enforces the budget on token spend), with an audit event and an outbox job for the webhook,
 * all in one transaction. The unique (tenant, window start, threshold) makes "once per threshold
 * per window" hold across workers and re-runs: a second crossing inserts nothing and sends nothing.
 * Spend = stored closed days of the window + `liveTodayMicros` (today's spend, if the caller has it).
 */
export async function checkBudgetAlerts(db: Db, opts: { now?: Date; liveTodayMicros?: Map<string, bigint> } = {}): Promise<Array<{ tenantId: string; thresholdPct: number }>> {
  const now = opts.now ?? new Date();
  const today = startOfUtcDay(now);
  const tenants = await db.tenant.findMany({ where: { monthlyBudgetCents: { gt: 0 } }, select: { id: true, monthlyBudgetCents: true, budgetDuration: true, createdAt: true, litellmSyncedAt: true } });
  const created: Array<{ tenantId: string; thresholdPct: number }> = [];
  for (const t of tenants) {
    const window = budgetWindowAt(t.litellmSyncedAt ?? t.createdAt, t.budgetDuration, now);
    const sums = await db.costSnapshot.aggregate({
      where: { tenantId: t.id, source: "litellm", day: { gte: startOfUtcDay(window.start), lt: today } },
      _sum: { tokenSpendMicros: true },
    });
    const spendCents = microsToCents((sums._sum.tokenSpendMicros ?? 0n) + (opts.liveTodayMicros?.get(t.id) ?? 0n));
    for (const thresholdPct of crossedThresholds(spendCents, t.monthlyBudgetCents)) {
      try {
        await db.$transaction(async (tx) => {
          const alert = await tx.budgetAlert.create({ data: { tenantId: t.id, periodStart: window.start, thresholdPct, crossedAt: now, spendCents, budgetCents: t.monthlyBudgetCents } });
          await recordAudit(tx, null, { action: "cost.budget-threshold-crossed", outcome: "success", tenantId: t.id, targetType: "budget-alert", targetId: alert.id, detail: { thresholdPct, spendCents, budgetCents: t.monthlyBudgetCents, periodStart: window.start.toISOString() } });
          await enqueue(tx, { kind: ALERT_JOB, dedupeKey: `budget-alert:${alert.id}`, payload: { alertId: alert.id }, tenantId: t.id });
        });
        created.push({ tenantId: t.id, thresholdPct });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // already recorded in this window: nothing to do
      }
    }
  }
  return created;
}

export type WebhookConfig = { url?: string; secret?: string; currency: string; portalUrl: string; timeoutMs?: number; fetch?: typeof fetch };

export function webhookConfigFromEnv(): WebhookConfig {
  const config = env();
  return { url: config.BUDGET_ALERT_WEBHOOK_URL, secret: config.BUDGET_ALERT_WEBHOOK_SECRET, currency: config.COST_CURRENCY, portalUrl: config.PORTAL_URL };
}

/**
 * The outbox handler: POSTs the signed alert once. A failure throws, so the outbox retries with its
 * backoff; the alert row keeps attempts and the last error for the page. A delivered alert is
 * never sent again (the outbox job is done, and this returns early if re-run).
 */
export async function deliverBudgetAlert(db: Db, alertId: string, config: WebhookConfig = webhookConfigFromEnv()): Promise<void> {
  const alert = await db.budgetAlert.findUnique({ where: { id: alertId } });
  if (!alert || alert.deliveryStatus === "delivered") return;
  if (!config.url || !config.secret) {
    await db.budgetAlert.update({ where: { id: alertId }, data: { deliveryStatus: "not-configured" } });
    return;
  }
  const tenant = await db.tenant.findUnique({ where: { id: alert.tenantId }, select: { displayName: true, budgetDuration: true, createdAt: true, litellmSyncedAt: true } });
  const window = tenant ? budgetWindowAt(tenant.litellmSyncedAt ?? tenant.createdAt, tenant.budgetDuration, alert.periodStart) : null;
  const body = JSON.stringify(
    alertPayload({ tenantId: alert.tenantId, tenantName: tenant?.displayName ?? alert.tenantId, thresholdPct: alert.thresholdPct, spendCents: alert.spendCents, budgetCents: alert.budgetCents, periodStart: alert.periodStart, resetsAt: window?.resetsAt ?? null, currency: config.currency, portalUrl: config.portalUrl }),
  );
  const timestamp = Math.floor(Date.now() / 1000);
  let error: string | null = null;
  try {
    const response = await (config.fetch ?? fetch)(config.url, {
      method: "POST",
      headers: { "content-type": "application/json", [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body), "idempotency-key": alert.id },
      body,
      signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
    });
    if (!response.ok) error = `receiver answered ${response.status}`;
  } catch (e) {
    error = `receiver unreachable: ${(e as Error).name}`;
  }
  await db.budgetAlert.update({
    where: { id: alertId },
    data: error ? { attempts: { increment: 1 }, lastError: error } : { attempts: { increment: 1 }, lastError: null, deliveryStatus: "delivered", deliveredAt: new Date() },
  });
  if (error) throw new Error(error);
}
