import { z } from "zod";

// Field names as in LiteLLM's proxy (_types.py / schema.prisma); see shared/reference/apis.
// Objects are parsed loosely (extra fields pass) because LiteLLM adds fields every release.
const nullableNumber = z.number().nullable().optional();
const nullableInt = z.number().int().nullable().optional();

export const teamSchema = z.looseObject({
  team_id: z.string(),
  team_alias: z.string().nullable().optional(),
  models: z.array(z.string()).default([]),
  max_budget: nullableNumber,
  spend: z.number().nullable().optional().transform((v) => v ?? 0),
  budget_duration: z.string().nullable().optional(),
  budget_reset_at: z.string().nullable().optional(),
  tpm_limit: nullableInt,
  rpm_limit: nullableInt,
  blocked: z.boolean().optional(),
});
export type LiteLLMTeam = z.infer<typeof teamSchema>;

export const teamInfoSchema = z.looseObject({
  team_id: z.string(),
  team_info: teamSchema,
  keys: z.array(z.unknown()).default([]),
});

export const teamUpdateSchema = z.looseObject({ team_id: z.string(), data: teamSchema.optional() });

export const keyRowSchema = z.looseObject({
  token: z.string(),
  key_alias: z.string().nullable().optional(),
  key_name: z.string().nullable().optional(),
  spend: z.number().nullable().optional().transform((v) => v ?? 0),
  max_budget: nullableNumber,
  expires: z.string().nullable().optional(),
  models: z.array(z.string()).default([]),
  team_id: z.string().nullable().optional(),
  user_id: z.string().nullable().optional(),
  tpm_limit: nullableInt,
  rpm_limit: nullableInt,
  blocked: z.boolean().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type LiteLLMKeyRow = z.infer<typeof keyRowSchema>;

export const generateKeyResponseSchema = z.looseObject({
  key: z.string().startsWith("sk-"),
  token: z.string().optional(),
  token_id: z.string().optional(),
  key_alias: z.string().nullable().optional(),
  expires: z.string().nullable().optional(),
});

export const keyInfoSchema = z.looseObject({ key: z.string(), info: keyRowSchema });

export const keyListSchema = z.looseObject({
  keys: z.array(z.union([z.string(), keyRowSchema])),
  total_count: z.number().int().optional(),
  current_page: z.number().int().optional(),
  total_pages: z.number().int().optional(),
});

export const deleteKeysSchema = z.looseObject({ deleted_keys: z.array(z.unknown()) });

/** LiteLLM's error envelope: `{"error": {"message", "type", "param", "code"}}` (or FastAPI's `detail`). */
export const errorEnvelopeSchema = z.looseObject({
  error: z.looseObject({ message: z.unknown(), type: z.string().nullable().optional() }),
});
export const fastApiErrorSchema = z.looseObject({ detail: z.unknown() });

/** One LiteLLM_SpendLogs row (GET /spend/logs?summarize=false); only the fields costs read. */
export const spendLogRowSchema = z.looseObject({
  request_id: z.string(),
  api_key: z.string(),
  spend: z.number().nullable().optional().transform((v) => v ?? 0),
  prompt_tokens: z.number().int().nullable().optional().transform((v) => v ?? 0),
  completion_tokens: z.number().int().nullable().optional().transform((v) => v ?? 0),
  startTime: z.string(),
  model: z.string().nullable().optional().transform((v) => v ?? ""),
  user: z.string().nullable().optional(),
  team_id: z.string().nullable().optional(),
});
export type LiteLLMSpendLogRow = z.infer<typeof spendLogRowSchema>;

/** One deployment of GET /model/info; prices are USD per token (absent for unpriced models). */
export const modelInfoEntrySchema = z.looseObject({
  model_name: z.string(),
  model_info: z
    .looseObject({
      id: z.string().nullable().optional(),
      input_cost_per_token: z.number().nonnegative().nullable().optional(),
      output_cost_per_token: z.number().nonnegative().nullable().optional(),
    })
    .nullable()
    .optional(),
});
export const modelInfoSchema = z.looseObject({ data: z.array(modelInfoEntrySchema) });
export type LiteLLMModelInfo = z.infer<typeof modelInfoEntrySchema>;
