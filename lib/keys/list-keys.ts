import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import { assertAllowed } from "@/lib/auth/guard";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { logger } from "@/lib/observability/log";
import { budgetLeftCents, fetchTeamSpend, SPEND_MAX_AGE_MS, type SpendSnapshot } from "./budget";
import { getTenantOrThrow } from "@/lib/tenants/get-tenant-or-throw";
import { keyView, type KeyView } from "./schemas";

type Row = {
  id: string;
  tenantId: string;
  alias: string;
  last4: string;
  models: string[];
  maxBudgetCents: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  createdAt: Date;
  expiresAt: Date;
  status: string;
  owner: { id: string; email: string; name: string | null };
};

export function toKeyView(row: Row, spendCents: number | null, now = new Date()): KeyView {
  const status = row.status === "active" && row.expiresAt <= now ? "expired" : row.status;
  return keyView.parse({ ...row, status, spendCents });
}

/**
 * Keys of a tenant the principal may see: their own, or all of them for tenant and platform
 * admins. Spend comes from LiteLLM; if it cannot answer, keys still list with spend unknown.
 */
export const KEYS_PAGE_SIZE = 50;

export async function listKeys(db: Db, litellm: LiteLLMClient, principal: Principal, tenantId: string, page: { before?: Date; limit?: number } = {}) {
  const tenant = await getTenantOrThrow(db, principal, tenantId);
  const seeAll = can(principal, "key.view-any", { tenantId });
  // Finance may see the tenant but has no business with its keys.
  if (!seeAll) await assertAllowed(db, principal, "key.view-own", { tenantId }, { type: "tenant", id: tenantId });
  const visible = { tenantId, status: { in: ["pending", "active", "revoked"] }, ...(seeAll ? {} : { ownerId: principal.userId }) };
  const limit = Math.min(Math.max(page.limit ?? KEYS_PAGE_SIZE, 1), 200);
  // Newest first, a page at a time: a tenant with thousands of keys still renders quickly.
  const [rows, total] = await Promise.all([
    db.apiKey.findMany({
      where: { ...visible, ...(page.before ? { createdAt: { lt: page.before } } : {}) },
      include: { owner: { select: { id: true, email: true, name: true } } },
      omit: { tokenHash: false },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
    }),
    db.apiKey.count({ where: visible }),
  ]);
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  let spend: SpendSnapshot | null = null;
  try {
    spend = await fetchTeamSpend(litellm, tenantId, SPEND_MAX_AGE_MS.display);
  } catch (error) {
    logger.warn("spend unavailable from LiteLLM", { tenantId, error });
  }
  // Reservations count every live key of the tenant, including ones this principal cannot see.
  const live = await db.apiKey.findMany({
    where: { tenantId, status: { in: ["pending", "active"] } },
    select: { tokenHash: true, maxBudgetCents: true },
  });
  const keys = rows.map(({ tokenHash, ...row }) => toKeyView(row, spend ? (spend.keySpendCents.get(tokenHash) ?? 0) : null));
  return {
    tenant,
    keys,
    seeAll,
    budgetLeftCents: spend ? budgetLeftCents(tenant.monthlyBudgetCents, spend, live) : null,
    teamSpendCents: spend?.teamSpendCents ?? null,
    total,
    nextBefore: hasMore ? rows.at(-1)?.createdAt.toISOString() : undefined,
  };
}
