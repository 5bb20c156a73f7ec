import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { dollarsToCents } from "@/lib/money/cents";

export type SpendSnapshot = { teamSpendCents: number; keySpendCents: Map<string, number> };

type Cached = { at: number; snapshot: Promise<SpendSnapshot> };
// Per client, so a test's fake LiteLLM never sees another's numbers.
const caches = new WeakMap<LiteLLMClient, Map<string, Cached>>();

/**
 * Spend as LiteLLM counts it, for the team and for each of its keys (by token hash).
 *
 * Spend only grows and LiteLLM enforces budgets itself, so a snapshot a few seconds old is good
 * enough for what the portal does with it (display, and reserving personal key budgets). Callers
 * within `maxAgeMs` of a snapshot share it, and concurrent callers share one upstream request:
 * a busy keys page or a burst of creations costs LiteLLM one key listing, not one each.
 */
export async function fetchTeamSpend(litellm: LiteLLMClient, tenantId: string, maxAgeMs = 0): Promise<SpendSnapshot> {
  let cache = caches.get(litellm);
  if (!cache) caches.set(litellm, (cache = new Map()));
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.at <= maxAgeMs) return hit.snapshot;
  const snapshot = (async () => {
    const [team, keys] = await Promise.all([litellm.teamInfo(tenantId), litellm.listKeys(tenantId)]);
    return {
      teamSpendCents: dollarsToCents(team.team_info.spend),
      keySpendCents: new Map(keys.map((k) => [k.token, dollarsToCents(k.spend)])),
    };
  })();
  cache.set(tenantId, { at: Date.now(), snapshot });
  snapshot.catch(() => cache.get(tenantId)?.snapshot === snapshot && cache.delete(tenantId)); // failures are not cached
  return snapshot;
}

/** How stale a spend snapshot may be for each use. */
export const SPEND_MAX_AGE_MS = { display: 10_000, reservation: 2_000 } as const;

/**
 * What the tenant can still hand out as personal key budgets: its budget, less what it has
 * spent, less what keys with a budget may still spend. A key's own spend is already in the
 * team's, so only its unspent remainder is reserved.
 */
export function budgetLeftCents(
  monthlyBudgetCents: number,
  spend: SpendSnapshot,
  liveKeys: { tokenHash: string; maxBudgetCents: number | null }[],
): number {
  const reserved = liveKeys.reduce((sum, key) => {
    if (key.maxBudgetCents === null) return sum;
    return sum + Math.max(0, key.maxBudgetCents - (spend.keySpendCents.get(key.tokenHash) ?? 0));
  }, 0);
  return monthlyBudgetCents - spend.teamSpendCents - reserved;
}
