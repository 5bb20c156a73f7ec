import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { dollarsToCents } from "@/lib/money/cents";

export type SpendSnapshot = { teamSpendCents: number; keySpendCents: Map<string, number> };

/** Spend as LiteLLM counts it, for the team and for each of its keys (by token hash). */
export async function fetchTeamSpend(litellm: LiteLLMClient, tenantId: string): Promise<SpendSnapshot> {
  const [team, keys] = await Promise.all([litellm.teamInfo(tenantId), litellm.listKeys(tenantId)]);
  return {
    teamSpendCents: dollarsToCents(team.team_info.spend),
    keySpendCents: new Map(keys.map((k) => [k.token, dollarsToCents(k.spend)])),
  };
}

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
