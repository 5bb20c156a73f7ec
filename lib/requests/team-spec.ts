import { parse } from "yaml";
import { z } from "zod";
import type { FileChange } from "@/lib/integrations/github/platform-repo";

// Files the portal applies to LiteLLM after merge (Argo CD does not own LiteLLM).
const TEAM_SPEC_PATH = /^litellm\/teams\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.yaml$/;

export const teamSpecSchema = z.object({
  apiVersion: z.literal("portal.inference-platform.io/v1alpha1"),
  kind: z.literal("LiteLLMTeam"),
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({
    team_id: z.string(),
    team_alias: z.string().optional(),
    models: z.array(z.string()),
    max_budget: z.number().nonnegative(),
    budget_duration: z.string(),
    rpm_limit: z.number().int().positive().nullable().optional(),
    tpm_limit: z.number().int().positive().nullable().optional(),
    soft_budget_thresholds: z.array(z.number().int().min(1).max(100)).optional(),
  }),
});
export type TeamSpec = z.infer<typeof teamSpecSchema>["spec"];

export function touchesLiteLLM(files: FileChange[]): boolean {
  return files.some((f) => TEAM_SPEC_PATH.test(f.path));
}

/** The LiteLLM team specs a request writes, parsed and checked; a broken one is an error, not a skip. */
export function teamSpecsOf(files: FileChange[]): TeamSpec[] {
  return files
    .filter((f) => TEAM_SPEC_PATH.test(f.path) && f.content !== null)
    .map((f) => teamSpecSchema.parse(parse(f.content!)).spec);
}
