import { GitHubError, notFound, unprocessable } from "../errors";
import { encodePath } from "../links";
import { ZERO_SHA } from "../repository";
import { createRefSchema, parseBody, updateRefSchema } from "../request-schemas";
import type { Route, RouteContext } from "../route-types";
import { gitRefJson } from "../views";

/** `{ref}` in the URL is "heads/main"; GitHub also tolerates a leading "refs/". */
const fullRef = (ref: string) => (ref.startsWith("refs/") ? ref : `refs/${ref}`);

async function refJson(ctx: RouteContext, ref: string, sha: string) {
  const type = (await ctx.backend.repo.objectType(sha)) ?? "commit";
  return gitRefJson(ctx.links, ref, sha, type);
}

async function requireCommit(ctx: RouteContext, sha: string): Promise<string> {
  // Branches must point at commits; a missing or non-commit object is refused.
  if (!/^[0-9a-f]{40}$/.test(sha) || (await ctx.backend.repo.objectType(sha)) !== "commit") throw unprocessable("Object does not exist");
  return sha;
}

export const refRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/ref/*ref",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/git/ref/{ref}",
    docs: "git/refs#get-a-reference",
    async handler(ctx) {
      const ref = fullRef(ctx.params.ref!);
      const sha = await ctx.backend.repo.refSha(ref);
      if (!sha) throw notFound();
      return { body: await refJson(ctx, ref, sha) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/matching-refs/*ref",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
    docs: "git/refs#list-matching-references",
    async handler(ctx) {
      const prefix = fullRef(ctx.params.ref!);
      const refs = (await ctx.backend.repo.listRefs()).filter((r) => r.ref.startsWith(prefix));
      return { body: await Promise.all(refs.map((r) => refJson(ctx, r.ref, r.sha))) };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/git/refs",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/git/refs",
    docs: "git/refs#create-a-reference",
    async handler(ctx) {
      const input = parseBody(createRefSchema, await ctx.json());
      const { repo } = ctx.backend;
      if (!input.ref.startsWith("refs/") || input.ref.split("/").length < 3 || !(await repo.isValidRefName(input.ref))) {
        throw unprocessable("Reference name is invalid");
      }
      const sha = await requireCommit(ctx, input.sha);
      // Compare-and-swap against "absent": a concurrent create loses cleanly.
      if (!(await repo.updateRef(input.ref, sha, ""))) throw unprocessable("Reference already exists");
      await ctx.backend.afterRefChange(ctx.links, input.ref, ZERO_SHA, sha);
      return {
        status: 201,
        body: await refJson(ctx, input.ref, sha),
        headers: { location: ctx.links.repoApi(`/git/${encodePath(input.ref)}`) },
      };
    },
  },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo/git/refs/*ref",
    auth: "token",
    operation: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    docs: "git/refs#update-a-reference",
    async handler(ctx) {
      const input = parseBody(updateRefSchema, await ctx.json());
      const ref = fullRef(ctx.params.ref!);
      const { repo } = ctx.backend;
      const current = await repo.refSha(ref);
      if (!current) throw unprocessable("Reference does not exist");
      const sha = await requireCommit(ctx, input.sha);
      if (!input.force && !(await repo.isAncestor(current, sha))) throw unprocessable("Update is not a fast forward");
      if (sha !== current) {
        if (!(await repo.updateRef(ref, sha, current))) throw new GitHubError(409, "Reference update failed: it moved concurrently");
        await ctx.backend.afterRefChange(ctx.links, ref, current, sha);
      }
      return { body: await refJson(ctx, ref, sha) };
    },
  },
  {
    method: "DELETE",
    path: "/repos/:owner/:repo/git/refs/*ref",
    auth: "token",
    operation: "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
    docs: "git/refs#delete-a-reference",
    async handler(ctx) {
      const ref = fullRef(ctx.params.ref!);
      const { repo, id } = ctx.backend;
      const current = await repo.refSha(ref);
      if (!current) throw unprocessable("Reference does not exist");
      if (ref === `refs/heads/${id.defaultBranch}`) throw unprocessable("Cannot delete the default branch");
      if (!(await repo.deleteRef(ref, current))) throw new GitHubError(409, "Reference update failed: it moved concurrently");
      await ctx.backend.afterRefChange(ctx.links, ref, current, ZERO_SHA);
      return { status: 204 };
    },
  },
];
