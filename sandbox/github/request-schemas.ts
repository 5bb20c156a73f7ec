import { z } from "zod";
import { GitHubError } from "./errors";

// Request bodies as GitHub's OpenAPI description declares them. Unknown
// fields are ignored (GitHub ignores them too); wrong types are refused.

const sha = z.string().min(1);
const person = z.object({ name: z.string().min(1), email: z.string().min(1), date: z.string().optional() });

export const createRefSchema = z.object({ ref: z.string(), sha });
export const updateRefSchema = z.object({ sha, force: z.boolean().optional() });

export const createBlobSchema = z.object({
  content: z.string(),
  encoding: z.enum(["utf-8", "utf8", "base64"]).optional(),
});

export const createTreeSchema = z.object({
  base_tree: z.string().optional(),
  tree: z.array(
    z.object({
      path: z.string().min(1),
      mode: z.enum(["100644", "100755", "040000", "160000", "120000"]),
      type: z.enum(["blob", "tree", "commit"]),
      sha: z.string().nullable().optional(),
      content: z.string().optional(),
    }),
  ),
});

export const createCommitSchema = z.object({
  message: z.string(),
  tree: sha,
  parents: z.array(sha).optional(),
  author: person.optional(),
  committer: person.optional(),
  signature: z.string().optional(),
});

export const createPullSchema = z.object({
  title: z.string().optional(),
  head: z.string().min(1),
  head_repo: z.string().optional(),
  base: z.string().min(1),
  body: z.string().nullable().optional(),
  maintainer_can_modify: z.boolean().optional(),
  draft: z.boolean().optional(),
  issue: z.number().int().optional(),
});

export const updatePullSchema = z.object({
  title: z.string().optional(),
  body: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]).optional(),
  base: z.string().optional(),
  maintainer_can_modify: z.boolean().optional(),
});

export const mergePullSchema = z.object({
  commit_title: z.string().optional(),
  commit_message: z.string().optional(),
  sha: z.string().optional(),
  merge_method: z.enum(["merge", "squash", "rebase"]).optional(),
});

export const createReviewSchema = z.object({
  commit_id: z.string().optional(),
  body: z.string().optional(),
  event: z.enum(["APPROVE", "REQUEST_CHANGES", "COMMENT"]).optional(),
  comments: z.array(z.unknown()).optional(),
});

export const createCommentSchema = z.object({ body: z.string() });

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join("/");
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) return `"${path}" wasn't supplied.`;
  return `For '${path ? `properties/${path}` : "body"}', ${issue.message}.`;
}

/** GitHub's wording for bodies that do not match the schema: 422 "Invalid request.\n\n...". */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new GitHubError(422, `Invalid request.\n\n${parsed.error.issues.map(describe).join("\n")}`);
}
