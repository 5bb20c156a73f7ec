import { GitHubError, notFound, unprocessable } from "../errors";
import { diffFiles } from "../diff";
import { EMPTY_TREE } from "../repository";
import type { Route, RouteContext } from "../route-types";
import { commitJson, diffEntryJson } from "../views";

// GitHub's compare lists at most 250 commits and 300 files.
const MAX_COMPARE_COMMITS = 250;
const MAX_COMPARE_FILES = 300;

async function commitWithFiles(ctx: RouteContext, sha: string) {
  const { repo } = ctx.backend;
  const commit = (await repo.readCommit(sha))!;
  const files = await diffFiles(repo, commit.parents[0] ?? EMPTY_TREE, sha);
  return commitJson(ctx.links, commit, files);
}

/** "owner:branch" (or "owner:repo:branch") names a branch of this repository. */
function stripOwner(ctx: RouteContext, spec: string): string | undefined {
  const parts = spec.split(":");
  if (parts.length === 1) return spec;
  const { owner, repo } = ctx.backend.id;
  if (parts[0]!.toLowerCase() !== owner.toLowerCase()) return undefined;
  if (parts.length === 3 && parts[1]!.toLowerCase() !== repo.toLowerCase()) return undefined;
  return parts[parts.length - 1];
}

export const commitRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/*ref",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/commits/{ref}",
    docs: "commits/commits#get-a-commit",
    async handler(ctx) {
      const ref = ctx.params.ref!;
      const sha = await ctx.backend.repo.resolveCommit(ref);
      if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
      return { body: await commitWithFiles(ctx, sha) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/compare/*basehead",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/compare/{basehead}",
    docs: "commits/commits#compare-two-commits",
    async handler(ctx) {
      const { repo } = ctx.backend;
      const spec = ctx.params.basehead!;
      const dots = spec.indexOf("...");
      if (dots === -1) throw notFound();
      const baseName = stripOwner(ctx, spec.slice(0, dots));
      const headName = stripOwner(ctx, spec.slice(dots + 3));
      const base = baseName ? await repo.resolveCommit(baseName) : undefined;
      const head = headName ? await repo.resolveCommit(headName) : undefined;
      if (!base || !head) throw notFound();
      const mergeBase = await repo.mergeBase(base, head);
      if (!mergeBase) throw new GitHubError(404, `No common ancestor between ${baseName} and ${headName}.`);
      const aheadBy = await repo.countBetween(base, head);
      const behindBy = await repo.countBetween(head, base);
      const status = aheadBy === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : aheadBy === 0 ? "behind" : "diverged";
      const commits = [];
      for (const sha of await repo.commitsBetween(base, head, MAX_COMPARE_COMMITS)) commits.push(commitJson(ctx.links, (await repo.readCommit(sha))!));
      const files = (await diffFiles(repo, mergeBase, head)).slice(0, MAX_COMPARE_FILES);
      const html = ctx.links.repoHtml(`/compare/${spec}`);
      return {
        body: {
          url: ctx.links.repoApi(`/compare/${spec}`),
          html_url: html,
          permalink_url: ctx.links.repoHtml(`/compare/${ctx.backend.id.owner}:${base.slice(0, 7)}...${ctx.backend.id.owner}:${head.slice(0, 7)}`),
          diff_url: `${html}.diff`,
          patch_url: `${html}.patch`,
          base_commit: commitJson(ctx.links, (await repo.readCommit(base))!),
          merge_base_commit: commitJson(ctx.links, (await repo.readCommit(mergeBase))!),
          status,
          ahead_by: aheadBy,
          behind_by: behindBy,
          total_commits: aheadBy,
          commits,
          files: files.map((f) => diffEntryJson(ctx.links, f, head)),
        },
      };
    },
  },
];
