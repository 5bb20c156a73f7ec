import { z } from "zod";
import { RequestValidationError } from "./errors";

/**
 * Request bodies, after LiteLLM's pydantic models (NewTeamRequest,
 * UpdateTeamRequest, GenerateKeyRequest, UpdateKeyRequest, KeyRequest,
 * RegenerateKeyRequest). Unknown fields are ignored, as pydantic does.
 */
const json = z.record(z.string(), z.unknown());
const optionalNumber = z.number().nullish();
const optionalInt = z.number().int().nullish();

const limitFields = {
  models: z.array(z.string()).nullish(),
  max_budget: optionalNumber,
  soft_budget: optionalNumber,
  budget_duration: z.string().nullish(),
  tpm_limit: optionalInt,
  rpm_limit: optionalInt,
  max_parallel_requests: optionalInt,
  metadata: json.nullish(),
  model_max_budget: json.nullish(),
};

export const newTeamSchema = z.object({
  team_id: z.string().min(1).nullish(),
  team_alias: z.string().nullish(),
  blocked: z.boolean().nullish(),
  ...limitFields,
});

export const updateTeamSchema = z.object({
  team_id: z.string().min(1),
  team_alias: z.string().nullish(),
  blocked: z.boolean().nullish(),
  ...limitFields,
});

const keyFields = {
  key_alias: z.string().nullish(),
  team_id: z.string().nullish(),
  user_id: z.string().nullish(),
  duration: z.string().nullish(),
  aliases: json.nullish(),
  config: json.nullish(),
  permissions: json.nullish(),
  allowed_cache_controls: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
  ...limitFields,
};

export const generateKeySchema = z.object({
  key: z.string().nullish(),
  spend: optionalNumber,
  ...keyFields,
});
export type GenerateKeyRequest = z.infer<typeof generateKeySchema>;

export const updateKeySchema = z.object({
  key: z.string().min(1),
  spend: optionalNumber,
  ...keyFields,
});
export type UpdateKeyRequest = z.infer<typeof updateKeySchema>;

export const deleteKeysSchema = z.object({
  keys: z.array(z.string()).nullish(),
  key_aliases: z.array(z.string()).nullish(),
});

export const blockKeySchema = z.object({ key: z.string().min(1) });

export const regenerateKeySchema = z.object({
  key: z.string().nullish(),
  new_key: z.string().nullish(),
  ...keyFields,
});
export type RegenerateKeyRequest = z.infer<typeof regenerateKeySchema>;

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw RequestValidationError.fromZod(result.error.issues);
  return result.data;
}
