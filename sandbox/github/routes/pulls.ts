import { notFound, validationFailed } from "../errors";
import type { PullRecord } from "../state";
import { createPullSchema, parseBody, updatePullSchema } from "../request-schemas";
import type { Route, RouteContext } from "../route-types";
import { diffEntryJson, pullJson, pullSimpleJson } from "../views";
import { paginate, requirePull } from "./common";

// GitHub caps the files list of a pull request at 3000 entries.
const MAX_FILES = 3000;

/** `head` is "owner:branch" (or just "branch" for same-repository PRs). */
function headBranch(ctx: RouteContext, head: string): string | undefined {
  const colon = head.indexOf(":");
  if (colon === -1) return head;
  return head.slice(0, colon).toLowerCase() === ctx.backend.id.owner.toLowerCase() ? head.slice(colon + 1) : undefined;
}

function openPullFor(ctx: RouteContext, branch: string, base: string, except?: number): PullRecord | undefined {
  return ctx.backend.store.pulls().find((p) => p.state === "open" && p.headRef === branch && p.baseRef === base && p.number !== except);
}

const alreadyExists = (ctx: RouteContext, branch: string) =>
  validationFailed({ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${ctx.backend.id.owner}:${branch}.` });

async function closePull(ctx: RouteContext, pr: PullRecord): Promise<PullRecord> {
  const { backend } = ctx;
  const { headSha, baseSha } = await backend.pullShas(pr);
  const now = backend.now();
  return backend.store.updatePull(pr.number, { state: "closed", closedAt: now, updatedAt: now, headSha, baseSha });
}

export const pullRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/pulls",
    docs: "pulls/pulls#list-pull-requests",
    async handler(ctx) {
      const q = ctx.url.searchParams;
      const state = q.get("state") ?? "open";
      const head = q.get("head");
      const base = q.get("base");
      const headRef = head ? headBranch(ctx, head) : undefined;
      let pulls = ctx.backend.store.pulls().filter((p) => {
        if (state !== "all" && p.state !== state) return false;
        if (head && p.headRef !== headRef) return false;
        return !base || p.baseRef === base;
      });
      const sort = q.get("sort") ?? "created";
      const key = (p: PullRecord) => (sort === "updated" ? p.updatedAt : p.createdAt) + String(p.number).padStart(10, "0");
      const direction = q.get("direction") ?? (sort === "created" ? "desc" : "asc");
      pulls = [...pulls].sort((a, b) => key(a).localeCompare(key(b)) * (direction === "asc" ? 1 : -1));
      const page = paginate(ctx, pulls);
      const items = page.body as PullRecord[];
      const body = [];
      for (const pr of items) body.push(pullSimpleJson(pullJson(ctx.links, pr, await ctx.backend.pullFacts(ctx.links, pr, false))));
      return { ...page, body };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/pulls",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/pulls",
    docs: "pulls/pulls#create-a-pull-request",
    async handler(ctx) {
      const input = parseBody(createPullSchema, await ctx.json());
      const { backend } = ctx;
      if (input.title === undefined) throw validationFailed({ resource: "PullRequest", field: "title", code: "missing_field" });
      const branch = headBranch(ctx, input.head);
      const headSha = branch ? await backend.branchSha(branch) : undefined;
      if (!branch || !headSha) throw validationFailed({ resource: "PullRequest", field: "head", code: "invalid" });
      const baseSha = await backend.branchSha(input.base);
      if (!baseSha) throw validationFailed({ resource: "PullRequest", field: "base", code: "invalid" });
      if (openPullFor(ctx, branch, input.base)) throw alreadyExists(ctx, branch);
      if (await backend.repo.isAncestor(headSha, baseSha)) {
        throw validationFailed({ resource: "PullRequest", code: "custom", message: `No commits between ${input.base} and ${branch}` });
      }
      const now = backend.now();
      const pr = backend.store.insertPull({
        title: input.title,
        body: input.body ?? null,
        state: "open",
        draft: input.draft ?? false,
        headRef: branch,
        headSha,
        baseRef: input.base,
        baseSha,
        merged: false,
        mergedAt: null,
        mergeCommitSha: null,
        mergedBy: null,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        user: backend.id.botLogin,
        maintainerCanModify: input.maintainer_can_modify ?? false,
      });
      const body = await backend.pullJson(ctx.links, pr);
      await backend.emitPullRequest(ctx.links, "opened", pr);
      return { status: 201, body, headers: { location: body.url } };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    docs: "pulls/pulls#get-a-pull-request",
    handler: async (ctx) => ({ body: await ctx.backend.pullJson(ctx.links, requirePull(ctx)) }),
  },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo/pulls/:pull_number",
    auth: "token",
    operation: "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
    docs: "pulls/pulls#update-a-pull-request",
    async handler(ctx) {
      const input = parseBody(updatePullSchema, await ctx.json());
      const { backend } = ctx;
      let pr = requirePull(ctx);
      const edits: Partial<PullRecord> = {};
      // The "edited" webhook says what changed, with the previous values.
      const changes: Record<string, unknown> = {};
      if (input.title !== undefined && input.title !== pr.title) {
        edits.title = input.title;
        changes.title = { from: pr.title };
      }
      if (input.body !== undefined && input.body !== pr.body) {
        edits.body = input.body;
        changes.body = { from: pr.body ?? "" };
      }
      if (input.maintainer_can_modify !== undefined) edits.maintainerCanModify = input.maintainer_can_modify;
      if (input.base !== undefined && input.base !== pr.baseRef) {
        if (pr.state !== "open" || !(await backend.branchSha(input.base))) throw validationFailed({ resource: "PullRequest", field: "base", code: "invalid" });
        edits.baseRef = input.base;
        changes.base = { ref: { from: pr.baseRef }, sha: { from: (await backend.pullShas(pr)).baseSha } };
      }
      if (Object.keys(edits).length > 0) {
        pr = backend.store.updatePull(pr.number, { ...edits, updatedAt: backend.now() });
        if (Object.keys(changes).length > 0) await backend.emitPullRequest(ctx.links, "edited", pr, { changes });
      }
      if (input.state === "closed" && pr.state === "open") {
        pr = await closePull(ctx, pr);
        await backend.emitPullRequest(ctx.links, "closed", pr);
      } else if (input.state === "open" && pr.state === "closed") {
        if (pr.merged) {
          throw validationFailed({ resource: "PullRequest", field: "state", code: "custom", message: "state cannot be changed. The pull request has been merged." });
        }
        const headSha = await backend.branchSha(pr.headRef);
        if (!headSha) {
          throw validationFailed({ resource: "PullRequest", field: "state", code: "custom", message: "state cannot be changed. The head branch was deleted." });
        }
        if (openPullFor(ctx, pr.headRef, pr.baseRef, pr.number)) throw alreadyExists(ctx, pr.headRef);
        pr = backend.store.updatePull(pr.number, { state: "open", closedAt: null, headSha, updatedAt: backend.now() });
        await backend.emitPullRequest(ctx.links, "reopened", pr);
      }
      return { body: await backend.pullJson(ctx.links, pr) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number/files",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    docs: "pulls/pulls#list-pull-requests-files",
    async handler(ctx) {
      const pr = requirePull(ctx);
      const { headSha } = await ctx.backend.pullShas(pr);
      const files = (await ctx.backend.pullFiles(pr)).slice(0, MAX_FILES);
      return paginate(ctx, files, (f) => diffEntryJson(ctx.links, f, headSha));
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number/merge",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge",
    docs: "pulls/pulls#check-if-a-pull-request-has-been-merged",
    handler(ctx) {
      const pr = requirePull(ctx);
      if (!pr.merged) throw notFound();
      return { status: 204 };
    },
  },
];
