import { isValidDuration } from "./durations";
import { badRequest } from "./errors";
import type { KeyRow } from "./state-schema";
import type { LiteLLMStore } from "./store";

/** Key models that stand for "whatever the team may use" in LiteLLM. */
export const ALL_TEAM_MODELS = "all-team-models";

export interface KeyLimits {
  team_id: string | null;
  models: readonly string[];
  max_budget: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
}

/**
 * A team key may not exceed its team: models must be a subset of the team's
 * (when the team restricts models) and budgets/limits may not exceed the team's.
 * LiteLLM answers violations with 400.
 */
export function checkKeyAgainstTeam(store: LiteLLMStore, key: KeyLimits): void {
  if (!key.team_id) return;
  const team = store.getTeam(key.team_id);
  if (!team) {
    throw badRequest(
      `Team doesn't exist in db. Team=${key.team_id}. Create team via \`/team/new\` call.`,
      "team_id",
    );
  }
  if (team.models.length > 0) {
    for (const model of key.models) {
      if (model !== ALL_TEAM_MODELS && !team.models.includes(model)) {
        throw badRequest(
          `Invalid model for team ${team.team_id}: ${model}. Valid models for team are: ${JSON.stringify(team.models)}`,
          "models",
        );
      }
    }
  }
  const over = (field: "max_budget" | "tpm_limit" | "rpm_limit", label: string) => {
    const keyValue = key[field];
    const teamValue = team[field];
    if (keyValue !== null && teamValue !== null && keyValue > teamValue) {
      throw badRequest(`${label} higher than team ${label} - key ${field}=${keyValue} > team ${field}=${teamValue}`, field);
    }
  };
  over("max_budget", "max budget");
  over("tpm_limit", "tpm limit");
  over("rpm_limit", "rpm limit");
}

/** LiteLLM requires unique key aliases across all keys. */
export function checkAliasUnique(store: LiteLLMStore, alias: string | null | undefined, exceptToken?: string): void {
  if (!alias) return;
  const existing = store.findKeyByAlias(alias);
  if (existing && existing.token !== exceptToken) {
    throw badRequest(`Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, "key_alias");
  }
}

export function checkDurations(input: { duration?: string | null; budget_duration?: string | null }): void {
  for (const field of ["duration", "budget_duration"] as const) {
    const value = input[field];
    if (value && !isValidDuration(value)) {
      throw badRequest(`Invalid ${field}: ${value}. Use e.g. "30s", "30m", "30h", "30d", "1mo".`, field);
    }
  }
}

/** User-defined key values must look like LiteLLM virtual keys and be unused. */
export function checkUserDefinedSecret(store: LiteLLMStore, secret: string, token: string, param: string): void {
  if (!secret.startsWith("sk-")) {
    throw badRequest("Invalid key format. LiteLLM Virtual Key must start with 'sk-'.", param);
  }
  if (store.getKey(token)) throw badRequest("Key with this token already exists.", param);
}

export function limitsOf(row: KeyRow): KeyLimits {
  return { team_id: row.team_id, models: row.models, max_budget: row.max_budget, tpm_limit: row.tpm_limit, rpm_limit: row.rpm_limit };
}
