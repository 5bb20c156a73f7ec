import type { LiteLLMSpendLogRow } from "@/lib/integrations/litellm/schemas";
import { dollarsToMicros } from "./money";

export const UNASSIGNED = "__unassigned__";

export type SpendTotals = { spendMicros: bigint; inputTokens: bigint; outputTokens: bigint; requests: number };
export type TeamDaySpend = SpendTotals & { byModel: Map<string, SpendTotals>; byKey: Map<string, SpendTotals>; byUser: Map<string, SpendTotals> };

const empty = (): SpendTotals => ({ spendMicros: 0n, inputTokens: 0n, outputTokens: 0n, requests: 0 });
function addTo(map: Map<string, SpendTotals>, key: string, row: SpendTotals) {
  const t = map.get(key) ?? empty();
  map.set(key, { spendMicros: t.spendMicros + row.spendMicros, inputTokens: t.inputTokens + row.inputTokens, outputTokens: t.outputTokens + row.outputTokens, requests: t.requests + 1 });
}

/**
 * Spend rows of [start, end) by team, then by model, key hash and user. Each row's dollars become
 * integer micro-units once; everything after is integer addition. LiteLLM's date filter is
 * inclusive at both midnights, so rows stamped exactly at `end` are dropped here.
 */
export function aggregateSpend(rows: readonly LiteLLMSpendLogRow[], window: { start: Date; end: Date }): Map<string, TeamDaySpend> {
  const teams = new Map<string, TeamDaySpend>();
  for (const row of rows) {
    const t = Date.parse(row.startTime.endsWith("Z") || /[+-]\d\d:\d\d$/.test(row.startTime) ? row.startTime : `${row.startTime}Z`);
    if (!(t >= window.start.getTime() && t < window.end.getTime())) continue;
    const one: SpendTotals = { spendMicros: dollarsToMicros(row.spend), inputTokens: BigInt(row.prompt_tokens), outputTokens: BigInt(row.completion_tokens), requests: 1 };
    const teamId = row.team_id || UNASSIGNED;
    const team = teams.get(teamId) ?? { ...empty(), byModel: new Map(), byKey: new Map(), byUser: new Map() };
    team.spendMicros += one.spendMicros;
    team.inputTokens += one.inputTokens;
    team.outputTokens += one.outputTokens;
    team.requests += 1;
    addTo(team.byModel, row.model || "(unknown)", one);
    addTo(team.byKey, row.api_key, one);
    addTo(team.byUser, row.user || "(none)", one);
    teams.set(teamId, team);
  }
  return teams;
}
