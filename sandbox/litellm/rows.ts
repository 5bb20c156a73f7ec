import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { addDuration } from "./durations";
import type { GenerateKeyRequest, newTeamSchema } from "./request-schemas";
import type { KeyRow, TeamRow } from "./state-schema";
import { pyIso } from "./time";

/** Who LiteLLM records as creator when the master key acts. */
export const MASTER_ACTOR = "default_user_id";

export function resetAtFor(budgetDuration: string | null | undefined, now: Date): string | null {
  return budgetDuration ? pyIso(addDuration(now, budgetDuration)) : null;
}

export function newTeamRow(input: z.infer<typeof newTeamSchema>, now: Date): TeamRow {
  const at = pyIso(now);
  return {
    team_id: input.team_id ?? randomUUID(),
    team_alias: input.team_alias ?? null,
    organization_id: null,
    object_permission_id: null,
    admins: [],
    members: [],
    members_with_roles: [],
    metadata: input.metadata ?? {},
    max_budget: input.max_budget ?? null,
    soft_budget: input.soft_budget ?? null,
    spend: 0,
    models: input.models ?? [],
    max_parallel_requests: input.max_parallel_requests ?? null,
    tpm_limit: input.tpm_limit ?? null,
    rpm_limit: input.rpm_limit ?? null,
    budget_duration: input.budget_duration ?? null,
    budget_reset_at: resetAtFor(input.budget_duration, now),
    blocked: input.blocked ?? false,
    created_at: at,
    updated_at: at,
    model_spend: {},
    model_max_budget: input.model_max_budget ?? {},
    router_settings: {},
    team_member_permissions: [],
    access_group_ids: [],
    policies: [],
    default_team_member_models: [],
    budget_limits: null,
    model_id: null,
    allow_team_guardrail_config: false,
  };
}

export function newKeyRow(input: GenerateKeyRequest, token: string, keyName: string, now: Date): KeyRow {
  const at = pyIso(now);
  return {
    token,
    key_name: keyName,
    key_alias: input.key_alias ?? null,
    soft_budget_cooldown: false,
    spend: input.spend ?? 0,
    expires: input.duration ? pyIso(addDuration(now, input.duration)) : null,
    models: input.models ?? [],
    aliases: input.aliases ?? {},
    config: input.config ?? {},
    router_settings: {},
    user_id: input.user_id ?? null,
    team_id: input.team_id ?? null,
    agent_id: null,
    project_id: null,
    permissions: input.permissions ?? {},
    max_parallel_requests: input.max_parallel_requests ?? null,
    metadata: input.metadata ?? {},
    blocked: input.blocked ?? null,
    tpm_limit: input.tpm_limit ?? null,
    rpm_limit: input.rpm_limit ?? null,
    max_budget: input.max_budget ?? null,
    budget_duration: input.budget_duration ?? null,
    budget_reset_at: resetAtFor(input.budget_duration, now),
    allowed_cache_controls: input.allowed_cache_controls ?? [],
    allowed_routes: [],
    policies: [],
    access_group_ids: [],
    model_spend: {},
    model_max_budget: input.model_max_budget ?? {},
    budget_id: null,
    organization_id: null,
    object_permission_id: null,
    created_at: at,
    created_by: MASTER_ACTOR,
    updated_at: at,
    updated_by: MASTER_ACTOR,
    last_active: null,
    rotation_count: 0,
    auto_rotate: false,
    rotation_interval: null,
    last_rotation_at: null,
    key_rotation_at: null,
    budget_limits: null,
  };
}

/**
 * GenerateKeyResponse: the request fields (with LiteLLM's defaults) followed by
 * the row and the one-time secret. The secret appears here and nowhere else.
 */
export function generateKeyResponse(row: KeyRow, secret: string, duration: string | null) {
  return {
    key_alias: row.key_alias,
    duration,
    models: row.models,
    spend: row.spend,
    max_budget: row.max_budget,
    user_id: row.user_id,
    team_id: row.team_id,
    max_parallel_requests: row.max_parallel_requests,
    metadata: row.metadata,
    tpm_limit: row.tpm_limit,
    rpm_limit: row.rpm_limit,
    budget_duration: row.budget_duration,
    allowed_cache_controls: row.allowed_cache_controls,
    soft_budget: null,
    config: row.config,
    permissions: row.permissions,
    model_max_budget: row.model_max_budget,
    blocked: row.blocked,
    aliases: row.aliases,
    key: secret,
    key_name: row.key_name,
    expires: row.expires,
    token_id: row.token,
    token: row.token,
    created_by: row.created_by,
    updated_by: row.updated_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    rotation_count: row.rotation_count,
    last_rotation_at: row.last_rotation_at,
  };
}
