import type { FileChange } from "@/lib/integrations/github/platform-repo";
import { parseLiteLLMTeamFile, type LiteLLMTeamSpec } from "@/lib/gitops/litellm-team";

// Files the portal applies to LiteLLM after merge (Argo CD does not own LiteLLM).
const TEAM_SPEC_PATH = /^litellm\/teams\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\.yaml$/;

export function touchesLiteLLM(files: FileChange[]): boolean {
  return files.some((f) => TEAM_SPEC_PATH.test(f.path));
}

/** The LiteLLM team specs a request writes, parsed and checked; a broken one is an error, not a skip. */
export function teamSpecsOf(files: FileChange[]): LiteLLMTeamSpec[] {
  return files.filter((f) => TEAM_SPEC_PATH.test(f.path) && f.content !== null).map((f) => parseLiteLLMTeamFile(f.content!).spec);
}
