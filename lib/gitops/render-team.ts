import { AppError } from "@/lib/http/errors";
import { centsToDollars, dollarsToCents } from "@/lib/money/cents";
import type { FilePlan, RepoFiles } from "./file-plan";
import { parseLiteLLMTeamFile, teamFilePath, type LiteLLMTeamSpec } from "./litellm-team";
import type { BudgetLimitsRequest, ModelAccessRequest, TenantOnboardingRequest } from "./requests";

export function teamSpecFromOnboarding(request: TenantOnboardingRequest): LiteLLMTeamSpec {
  const team = request.litellm;
  return {
    team_id: request.tenant,
    team_alias: request.displayName,
    models: team.models,
    max_budget: centsToDollars(dollarsToCents(team.monthlyBudget)),
    budget_duration: team.budgetDuration,
    rpm_limit: team.rpmLimit ?? null,
    tpm_limit: team.tpmLimit ?? null,
    soft_budget_thresholds: team.softBudgetThresholds,
    metadata: { managed_by: "inference-portal", cost_center: request.costCenter ?? null },
  };
}

/**
 * The team as the platform repo holds it now. Model access and budget changes rewrite the whole
 * file from it, so they need the current file: a tenant without one was never onboarded.
 */
export function currentTeamSpec(tenant: string, base: RepoFiles | undefined): LiteLLMTeamSpec {
  const content = base?.[teamFilePath(tenant)];
  if (content === undefined) {
    throw new AppError("conflict", `Tenant ${tenant} has no LiteLLM team in the platform repo; onboard it first`);
  }
  const file = parseLiteLLMTeamFile(content);
  if (file.spec.team_id !== tenant) throw new AppError("conflict", `The team file of ${tenant} names another team`);
  return file.spec;
}

export function teamSpecWithModels(current: LiteLLMTeamSpec, request: ModelAccessRequest): LiteLLMTeamSpec {
  return { ...current, models: request.models };
}

export function teamSpecWithLimits(current: LiteLLMTeamSpec, request: BudgetLimitsRequest): LiteLLMTeamSpec {
  return {
    ...current,
    max_budget: centsToDollars(dollarsToCents(request.monthlyBudget)),
    soft_budget_thresholds: request.softBudgetThresholds,
    rpm_limit: request.rpmLimit ?? null,
    tpm_limit: request.tpmLimit ?? null,
  };
}

export function teamPlan(spec: LiteLLMTeamSpec): FilePlan {
  return {
    template: "litellm/team.yaml",
    path: teamFilePath(spec.team_id),
    values: {
      tenant: spec.team_id,
      displayName: spec.team_alias,
      models: spec.models,
      maxBudget: spec.max_budget,
      budgetDuration: spec.budget_duration,
      rpmLimit: spec.rpm_limit,
      tpmLimit: spec.tpm_limit,
      softBudgetThresholds: spec.soft_budget_thresholds,
      costCenter: spec.metadata.cost_center,
    },
  };
}
