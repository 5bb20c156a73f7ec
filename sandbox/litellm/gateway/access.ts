import type { SandboxModel } from "../../models";
import { badRequest, LiteLLMError } from "../errors";
import { ALL_TEAM_MODELS } from "../key-policy";
import type { RateLimitScope } from "../rate-limiter";
import type { Caller } from "./caller";

/** Model names a caller may use, restricted to what the proxy serves. */
export function allowedModels(caller: Caller, catalog: readonly SandboxModel[]): string[] {
  const all = catalog.map((m) => m.id);
  if (caller.kind === "master") return all;
  const teamModels = caller.team?.models.length ? caller.team.models : all;
  const keyModels = caller.key.models.filter((m) => m !== ALL_TEAM_MODELS);
  const fromKey = keyModels.length > 0 ? keyModels : teamModels;
  return all.filter((m) => fromKey.includes(m) && teamModels.includes(m));
}

export function resolveModel(name: unknown, catalog: readonly SandboxModel[]): SandboxModel {
  const model = typeof name === "string" ? catalog.find((m) => m.id === name) : undefined;
  if (!model) {
    throw badRequest(
      `Invalid model name passed in model=${typeof name === "string" ? name : "None"}. ` +
        "Call `/v1/models` to view available models for your key.",
      "model",
    );
  }
  return model;
}

/** Key check first, then team, with LiteLLM's distinct error types. */
export function checkModelAccess(caller: Caller, model: string): void {
  if (caller.kind === "master") return;
  const keyModels = caller.key.models;
  if (keyModels.length > 0 && !keyModels.includes(ALL_TEAM_MODELS) && !keyModels.includes(model)) {
    throw new LiteLLMError(
      401,
      "key_model_access_denied",
      `key not allowed to access model. This key can only access models=${JSON.stringify(keyModels)}. Tried to access ${model}`,
      "model",
    );
  }
  const teamModels = caller.team?.models ?? [];
  if (teamModels.length > 0 && !teamModels.includes(model)) {
    throw new LiteLLMError(
      401,
      "team_model_access_denied",
      `team not allowed to access model. This team can only access models=${JSON.stringify(teamModels)}. Tried to access ${model}`,
      "model",
    );
  }
}

/** LiteLLM blocks once spend has reached the budget (spend >= max_budget). */
export function checkBudgets(caller: Caller): void {
  if (caller.kind === "master") return;
  const { key, team } = caller;
  if (key.max_budget !== null && key.spend >= key.max_budget) {
    throw new LiteLLMError(
      400,
      "budget_exceeded",
      `Budget has been exceeded! Key=${key.key_alias ?? key.key_name} Current cost: ${key.spend}, Max budget: ${key.max_budget}`,
    );
  }
  if (team && team.max_budget !== null && team.spend >= team.max_budget) {
    throw new LiteLLMError(
      400,
      "budget_exceeded",
      `Budget has been exceeded! Team=${team.team_id} Current cost: ${team.spend}, Max budget: ${team.max_budget}`,
    );
  }
}

export function rateLimitScopes(caller: Caller): RateLimitScope[] {
  if (caller.kind === "master") return [];
  const scopes: RateLimitScope[] = [{ kind: "api_key", id: caller.key.token, limits: { rpm: caller.key.rpm_limit, tpm: caller.key.tpm_limit } }];
  if (caller.team) {
    scopes.push({ kind: "team", id: caller.team.team_id, limits: { rpm: caller.team.rpm_limit, tpm: caller.team.tpm_limit } });
  }
  return scopes;
}
