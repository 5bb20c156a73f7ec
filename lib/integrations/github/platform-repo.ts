import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { createOctokit, type GitHubConfig } from "./octokit";

/** A file the pull request writes (`content`) or removes (`content: null`). */
export type FileChange = { path: string; content: string | null };

export const pullSchema = z
  .looseObject({
    number: z.number().int(),
    html_url: z.string(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    mergeable_state: z.string().nullable().optional(),
    head: z.looseObject({ ref: z.string(), sha: z.string() }),
  })
  .transform((p) => ({
    number: p.number,
    url: p.html_url,
    state: p.state,
    merged: Boolean(p.merged ?? p.merged_at),
    mergeCommitSha: p.merge_commit_sha ?? null,
    mergeableState: p.mergeable_state ?? null,
    headRef: p.head.ref,
    headSha: p.head.sha,
  }));
export type Pull = z.output<typeof pullSchema>;

export class GitHubRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "GitHubRefusal";
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: string } } }).response?.data;
  return data?.message ?? (error as Error).message;
}

/**
 * The platform repository as the portal uses it: one branch and one pull request per request,
 * opened idempotently (a retry after a crash adopts what the previous attempt left), merged
 * only at the head SHA that was reviewed.
 */
export function createPlatformRepo(config: GitHubConfig, octokit: Octokit = createOctokit(config)) {
  const { owner, repo, baseBranch } = config;

  async function findOpenPull(branch: string): Promise<Pull | null> {
    const { data } = await octokit.pulls.list({ owner, repo, state: "open", head: `${owner}:${branch}`, per_page: 5 });
    const match = data.find((p) => p.head.ref === branch);
    return match ? pullSchema.parse(match) : null;
  }

  async function commitOnBranch(branch: string, changes: FileChange[], message: string): Promise<string> {
    const { data: baseRef } = await octokit.git.getRef({ owner, repo, ref: `heads/${baseBranch}` });
    const { data: baseCommit } = await octokit.git.getCommit({ owner, repo, commit_sha: baseRef.object.sha });
    const { data: tree } = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.tree.sha,
      tree: changes.map((c) =>
        c.content === null
          ? { path: c.path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path: c.path, mode: "100644" as const, type: "blob" as const, content: c.content },
      ),
    });
    const { data: commit } = await octokit.git.createCommit({ owner, repo, message, tree: tree.sha, parents: [baseRef.object.sha] });
    try {
      await octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha });
    } catch (error) {
      // Left by an attempt that crashed before opening the PR: the branch is ours, reset it.
      if (statusOf(error) !== 422) throw error;
      await octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha, force: true });
    }
    return commit.sha;
  }

  return {
    findOpenPull,

    /** Cheapest authenticated call that proves the repo is reachable with our credentials. */
    async ping(): Promise<void> {
      await octokit.repos.get({ owner, repo });
    },

    async openPull(input: { branch: string; title: string; body: string; changes: FileChange[]; commitMessage: string }): Promise<Pull> {
      const existing = await findOpenPull(input.branch);
      if (existing) return existing;
      await commitOnBranch(input.branch, input.changes, input.commitMessage);
      try {
        const { data } = await octokit.pulls.create({ owner, repo, head: input.branch, base: baseBranch, title: input.title, body: input.body });
        return pullSchema.parse(data);
      } catch (error) {
        if (statusOf(error) !== 422) throw error;
        const adopted = await findOpenPull(input.branch);
        if (adopted) return adopted;
        throw new GitHubRefusal(422, messageOf(error));
      }
    },

    async getPull(number: number): Promise<Pull> {
      const { data } = await octokit.pulls.get({ owner, repo, pull_number: number });
      return pullSchema.parse(data);
    },

    async listFiles(number: number) {
      const { data } = await octokit.pulls.listFiles({ owner, repo, pull_number: number, per_page: 100 });
      return data.map((f) => ({ filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch ?? "" }));
    },

    /**
     * Approves and squash-merges at `reviewedSha`. GitHub refuses the merge (409) if the head
     * moved since; that refusal is surfaced, never retried with the new head.
     */
    async approveAndMerge(number: number, reviewedSha: string, review: { body: string; title: string; message: string }): Promise<string> {
      // A request retried after a 5xx may already have left this review: do not post it twice.
      const { data: existing } = await octokit.pulls.listReviews({ owner, repo, pull_number: number, per_page: 100 });
      const alreadyReviewed = existing.some((r) => r.commit_id === reviewedSha && r.body === review.body && ["APPROVED", "COMMENTED"].includes(r.state));
      try {
        if (!alreadyReviewed) await octokit.pulls.createReview({ owner, repo, pull_number: number, commit_id: reviewedSha, event: "APPROVE", body: review.body });
      } catch (error) {
        // GitHub does not let an identity approve its own PR; with a single GitHub App the
        // approval is recorded as a comment and branch protection decides the merge.
        if (statusOf(error) !== 422) throw error;
        await octokit.pulls.createReview({ owner, repo, pull_number: number, commit_id: reviewedSha, event: "COMMENT", body: review.body });
      }
      try {
        const { data } = await octokit.pulls.merge({
          owner,
          repo,
          pull_number: number,
          merge_method: "squash",
          sha: reviewedSha,
          commit_title: review.title,
          commit_message: review.message,
        });
        return data.sha;
      } catch (error) {
        const status = statusOf(error);
        // A merge retried after a 5xx may find its own earlier attempt done: that is success.
        if (status === 405) {
          const { data } = await octokit.pulls.get({ owner, repo, pull_number: number });
          if (data.merged && data.merge_commit_sha && data.head.sha === reviewedSha) return data.merge_commit_sha;
        }
        if (status === 405 || status === 409 || status === 422) throw new GitHubRefusal(status, messageOf(error));
        throw error;
      }
    },

    async closeWithComment(number: number, comment: string): Promise<void> {
      await octokit.issues.createComment({ owner, repo, issue_number: number, body: comment });
      await octokit.pulls.update({ owner, repo, pull_number: number, state: "closed" });
    },

    /** File content at a ref, or null when the path does not exist there. */
    async readFile(path: string, ref: string): Promise<string | null> {
      try {
        const { data } = await octokit.repos.getContent({ owner, repo, path, ref });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
        return Buffer.from(data.content, "base64").toString("utf8");
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },

    /** Every file path on a ref (the platform repo is small: manifests only). */
    async listPaths(ref = baseBranch): Promise<string[]> {
      const { data } = await octokit.git.getTree({ owner, repo, tree_sha: ref, recursive: "true" });
      return data.tree.filter((e) => e.type === "blob" && e.path).map((e) => e.path!);
    },

    /** Every path a commit touched (both sides of a rename), as GitHub lists them for the commit. */
    async commitPaths(sha: string): Promise<string[]> {
      const { data } = await octokit.repos.getCommit({ owner, repo, ref: sha, per_page: 300 });
      const paths = new Set<string>();
      for (const f of data.files ?? []) {
        paths.add(f.filename);
        if (f.previous_filename) paths.add(f.previous_filename);
      }
      return [...paths].sort();
    },

    async parentOf(sha: string): Promise<string> {
      const { data } = await octokit.git.getCommit({ owner, repo, commit_sha: sha });
      const parent = data.parents[0];
      if (!parent) throw new Error(`commit ${sha} has no parent`);
      return parent.sha;
    },

    /** Whether `revision` (what Argo CD synced) includes `commit` (the merge). */
    async contains(revision: string, commit: string): Promise<boolean> {
      if (revision === commit) return true;
      try {
        const { data } = await octokit.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${commit}...${revision}` });
        return data.status === "ahead" || data.status === "identical";
      } catch (error) {
        if (statusOf(error) === 404) return false;
        throw error;
      }
    },
  };
}

export type PlatformRepo = ReturnType<typeof createPlatformRepo>;
