import { parse } from "yaml";
import { z } from "zod";
import { MODEL_IDS } from "@/lib/catalog/models";
import { BUDGET_DURATIONS } from "@/lib/tenants/schemas";
import { tenantSlug } from "./requests";

export const LITELLM_TEAM_API_VERSION = "portal.inference-platform.io/v1alpha1";
export const LITELLM_TEAM_KIND = "LiteLLMTeam";

export function teamFilePath(tenant: string): string {
  return `litellm/teams/${tenant}.yaml`;
}

/**
 * The team spec file the portal applies to LiteLLM after merge. Field names are LiteLLM's own
 * (/team/new, /team/update), so applying it is a straight copy; `soft_budget_thresholds`
 * (percent of max_budget) is the portal's, used for its spend alerts.
 */
export const liteLLMTeamFile = z.strictObject({
  apiVersion: z.literal(LITELLM_TEAM_API_VERSION),
  kind: z.literal(LITELLM_TEAM_KIND),
  metadata: z.strictObject({ name: tenantSlug }),
  spec: z.strictObject({
    team_id: tenantSlug,
    team_alias: z.string().min(1).max(100),
    models: z.array(z.enum(MODEL_IDS)).min(1),
    max_budget: z.number().finite().nonnegative(),
    budget_duration: z.enum(BUDGET_DURATIONS),
    rpm_limit: z.number().int().positive().nullable(),
    tpm_limit: z.number().int().positive().nullable(),
    soft_budget_thresholds: z.array(z.number().int().min(1).max(100)).max(5).default([]),
    metadata: z.strictObject({
      managed_by: z.literal("inference-portal"),
      cost_center: z.string().nullable(),
    }),
  }),
});

export type LiteLLMTeamFile = z.output<typeof liteLLMTeamFile>;
export type LiteLLMTeamSpec = LiteLLMTeamFile["spec"];

/** Parses the YAML of a team file; throws (zod or YAML errors) when it is not one. */
export function parseLiteLLMTeamFile(content: string): LiteLLMTeamFile {
  return liteLLMTeamFile.parse(parse(content, { version: "1.1", maxAliasCount: 0 }));
}
