import { z } from "zod";

/**
 * LiteLLM's wire contract, written from ../shared/reference (schema.prisma
 * subset and the management API doc), independently of the stand-in's own
 * schemas: a renamed or retyped field in the stand-in fails these.
 */
const datetime = z.iso.datetime({ offset: true });
const json = z.record(z.string(), z.unknown());
const nullableInt = z.number().int().nullable();

export const teamRow = z.object({
  team_id: z.string(),
  team_alias: z.string().nullable(),
  organization_id: z.string().nullable(),
  admins: z.array(z.string()),
  members: z.array(z.string()),
  members_with_roles: z.unknown(),
  metadata: json,
  max_budget: z.number().nullable(),
  soft_budget: z.number().nullable(),
  spend: z.number(),
  models: z.array(z.string()),
  max_parallel_requests: nullableInt,
  tpm_limit: nullableInt,
  rpm_limit: nullableInt,
  budget_duration: z.string().nullable(),
  budget_reset_at: datetime.nullable(),
  blocked: z.boolean(),
  created_at: datetime,
  updated_at: datetime,
  model_spend: json,
  model_max_budget: json,
});

export const keyRow = z.object({
  token: z.string().regex(/^[0-9a-f]{64}$/),
  key_name: z.string().nullable(),
  key_alias: z.string().nullable(),
  spend: z.number(),
  expires: datetime.nullable(),
  models: z.array(z.string()),
  aliases: json,
  config: json,
  user_id: z.string().nullable(),
  team_id: z.string().nullable(),
  permissions: json,
  max_parallel_requests: nullableInt,
  metadata: json,
  blocked: z.boolean().nullable(),
  tpm_limit: nullableInt,
  rpm_limit: nullableInt,
  max_budget: z.number().nullable(),
  budget_duration: z.string().nullable(),
  budget_reset_at: datetime.nullable(),
  allowed_cache_controls: z.array(z.string()),
  model_spend: json,
  model_max_budget: json,
  created_at: datetime.nullable(),
  created_by: z.string().nullable(),
  updated_at: datetime.nullable(),
  updated_by: z.string().nullable(),
  last_active: datetime.nullable(),
  rotation_count: nullableInt,
  last_rotation_at: datetime.nullable(),
});

export const generateKeyResponse = z.object({
  key: z.string().startsWith("sk-"),
  key_name: z.string().nullable(),
  expires: datetime.nullable(),
  token: z.string().regex(/^[0-9a-f]{64}$/),
  token_id: z.string(),
  key_alias: z.string().nullable(),
  duration: z.string().nullable(),
  models: z.array(z.string()),
  spend: z.number(),
  max_budget: z.number().nullable(),
  user_id: z.string().nullable(),
  team_id: z.string().nullable(),
  max_parallel_requests: nullableInt,
  metadata: json,
  tpm_limit: nullableInt,
  rpm_limit: nullableInt,
  budget_duration: z.string().nullable(),
  allowed_cache_controls: z.array(z.string()),
  aliases: json,
  config: json,
  permissions: json,
  created_at: datetime.nullable(),
});

export const keyInfoResponse = z.object({ key: z.string(), info: keyRow });

export const teamInfoResponse = z.object({
  team_id: z.string(),
  team_info: teamRow,
  keys: z.array(keyRow),
  team_memberships: z.array(z.unknown()),
});

export const teamUpdateResponse = z.object({ team_id: z.string(), data: teamRow });

export const teamListResponse = z.array(teamRow.extend({ team_memberships: z.array(z.unknown()), keys: z.array(z.unknown()) }));

export const keyListResponse = z.object({
  keys: z.array(z.union([z.string(), keyRow])),
  total_count: z.number().int(),
  current_page: z.number().int(),
  total_pages: z.number().int(),
});

export const deleteKeysResponse = z.object({ deleted_keys: z.array(z.string()) });

export const errorResponse = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
  }),
});

export const spendLogRow = z.object({
  request_id: z.string(),
  call_type: z.string(),
  api_key: z.string(),
  spend: z.number(),
  total_tokens: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  startTime: datetime,
  endTime: datetime,
  request_duration_ms: nullableInt,
  completionStartTime: datetime.nullable(),
  model: z.string(),
  model_id: z.string().nullable(),
  model_group: z.string().nullable(),
  custom_llm_provider: z.string().nullable(),
  api_base: z.string().nullable(),
  user: z.string().nullable(),
  metadata: json.nullable(),
  cache_hit: z.string().nullable(),
  cache_key: z.string().nullable(),
  request_tags: z.unknown(),
  team_id: z.string().nullable(),
  organization_id: z.string().nullable(),
  end_user: z.string().nullable(),
  requester_ip_address: z.string().nullable(),
  session_id: z.string().nullable(),
  status: z.string().nullable(),
});

/** /global/spend/report?group_by=team, per LiteLLM's get_global_spend_report. */
export const teamSpendReport = z.array(
  z.object({
    group_by_day: z.string(),
    teams: z.array(
      z.object({
        team_name: z.string(),
        total_spend: z.number(),
        metadata: z.array(z.object({ model: z.string(), api_key: z.string(), spend: z.number(), total_tokens: z.number() })),
      }),
    ),
  }),
);

/** /global/spend/report?group_by=api_key */
export const apiKeySpendReport = z.array(
  z.object({
    api_key: z.string(),
    total_cost: z.number(),
    total_input_tokens: z.number(),
    total_output_tokens: z.number(),
    model_details: z.array(
      z.object({ model: z.string(), total_cost: z.number(), total_input_tokens: z.number(), total_output_tokens: z.number() }),
    ),
  }),
);
