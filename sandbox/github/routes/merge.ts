import { GitHubError, notMergeable } from "../errors";
import { ZERO_SHA, githubDate } from "../repository";
import { mergePullSchema, parseBody } from "../request-schemas";
import type { Route } from "../route-types";
import { botEmail } from "../views";
import { requirePull } from "./common";

// GitHub commits merges made through the API as "GitHub", authored by the merger.
const GITHUB_COMMITTER = { name: "GitHub", email: "noreply@github.com" };

export const mergeRoutes: Route[] = [
  {
    method: "PUT",
    path: "/repos/:owner/:repo/pulls/:pull_number/merge",
    auth: "token",
    operation: "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
    docs: "pulls/pulls#merge-a-pull-request",
    async handler(ctx) {
      const input = parseBody(mergePullSchema, await ctx.json());
      const { backend, links } = ctx;
      const { repo, id } = backend;
      const pr = requirePull(ctx);
      if (pr.state !== "open") throw notMergeable();
      if (pr.draft) throw notMergeable("Pull Request is still a draft");
      const method = input.merge_method ?? "merge";
      if (method === "rebase") throw notMergeable("Rebase merges are not allowed on this repository.");
      const blocked = backend.faults.mergeBlock(pr.number);
      if (blocked !== undefined) throw notMergeable(blocked);

      const { headSha, baseSha } = await backend.pullShas(pr);
      if (input.sha !== undefined && input.sha !== headSha) {
        throw new GitHubError(409, "Head branch was modified. Review and try the merge again.");
      }
      // A real three-way merge of the head into the current base; squash and
      // merge commits share the resulting tree and differ only in parents.
      const merge = await repo.mergeTree(baseSha, headSha);
      if (merge.conflicts.length > 0) throw notMergeable("Merge conflict");

      let title: string;
      let message: string;
      if (method === "squash") {
        title = input.commit_title ?? `${pr.title} (#${pr.number})`;
        const commits = await repo.commitsBetween(baseSha, headSha);
        const lines = [];
        for (const sha of commits) lines.push(`* ${(await repo.readCommit(sha))!.message.trim()}`);
        message = input.commit_message ?? lines.join("\n\n");
      } else {
        title = input.commit_title ?? `Merge pull request #${pr.number} from ${id.owner}/${pr.headRef}`;
        message = input.commit_message ?? pr.title;
      }
      const date = githubDate(new Date());
      const sha = await repo.commitTree({
        tree: merge.tree,
        parents: method === "squash" ? [baseSha] : [baseSha, headSha],
        message: message ? `${title}\n\n${message}` : title,
        author: { name: id.botLogin, email: botEmail(links), date },
        committer: { ...GITHUB_COMMITTER, date },
      });
      if (!(await repo.updateRef(`refs/heads/${pr.baseRef}`, sha, baseSha))) {
        throw new GitHubError(409, "Base branch was modified. Review and try the merge again.");
      }
      const now = backend.now();
      const merged = backend.store.updatePull(pr.number, {
        state: "closed",
        merged: true,
        mergedAt: now,
        closedAt: now,
        updatedAt: now,
        mergeCommitSha: sha,
        mergedBy: id.botLogin,
        headSha,
        baseSha,
      });
      await backend.emitPullRequest(links, "closed", merged);
      await backend.afterRefChange(links, `refs/heads/${pr.baseRef}`, baseSha, sha);
      if (backend.settings.deleteBranchOnMerge && pr.headRef !== id.defaultBranch) {
        const ref = `refs/heads/${pr.headRef}`;
        if (await repo.deleteRef(ref, headSha)) await backend.afterRefChange(links, ref, headSha, ZERO_SHA);
      }
      return { body: { sha, merged: true, message: "Pull Request successfully merged" } };
    },
  },
];
