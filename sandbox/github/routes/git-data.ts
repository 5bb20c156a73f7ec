import { notFound, unprocessable } from "../errors";
import { GitCommandError } from "../git";
import { githubDate, isFullSha, type GitIdentity, type TreeEntry } from "../repository";
import { createBlobSchema, createCommitSchema, createTreeSchema, parseBody } from "../request-schemas";
import type { Route, RouteContext } from "../route-types";
import { buildTree } from "../tree-builder";
import { botEmail, gitCommitJson, nodeId } from "../views";
import { wrappedBase64 } from "./common";

async function treeJson(ctx: RouteContext, sha: string, recursive: boolean) {
  const entries = await ctx.backend.repo.lsTree(sha, { recursive });
  const url = (e: TreeEntry) => (e.type === "commit" ? {} : { url: ctx.links.repoApi(`/git/${e.type}s/${e.sha}`) });
  return {
    sha,
    url: ctx.links.repoApi(`/git/trees/${sha}`),
    tree: entries.map((e) => ({ path: e.path, mode: e.mode, type: e.type, sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}), ...url(e) })),
    truncated: false,
  };
}

function identity(ctx: RouteContext, given: { name: string; email: string; date?: string } | undefined, fallback?: GitIdentity): GitIdentity {
  if (given) {
    const date = given.date ? new Date(given.date) : new Date();
    if (Number.isNaN(date.getTime())) throw unprocessable(`Invalid date: ${given.date}`);
    return { name: given.name, email: given.email, date: githubDate(date) };
  }
  // Like GitHub: the authenticated account (here the app's bot) and now.
  return fallback ?? { name: ctx.backend.id.botLogin, email: botEmail(ctx.links), date: githubDate(new Date()) };
}

export const gitDataRoutes: Route[] = [
  {
    method: "POST",
    path: "/repos/:owner/:repo/git/blobs",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/git/blobs",
    docs: "git/blobs#create-a-blob",
    async handler(ctx) {
      const input = parseBody(createBlobSchema, await ctx.json());
      const bytes = input.encoding === "base64" ? Buffer.from(input.content, "base64") : Buffer.from(input.content, "utf8");
      const sha = await ctx.backend.repo.writeBlob(bytes);
      const url = ctx.links.repoApi(`/git/blobs/${sha}`);
      return { status: 201, body: { sha, url }, headers: { location: url } };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/blobs/:file_sha",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    docs: "git/blobs#get-a-blob",
    async handler(ctx) {
      const sha = ctx.params.file_sha!;
      const { repo } = ctx.backend;
      if (!isFullSha(sha) || (await repo.objectType(sha)) !== "blob") throw notFound();
      const content = await repo.readBlob(sha);
      return {
        body: {
          sha,
          node_id: nodeId("Blob", sha),
          size: content.length,
          url: ctx.links.repoApi(`/git/blobs/${sha}`),
          content: wrappedBase64(content),
          encoding: "base64",
        },
      };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/git/trees",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/git/trees",
    docs: "git/trees#create-a-tree",
    async handler(ctx) {
      const input = parseBody(createTreeSchema, await ctx.json());
      const { repo } = ctx.backend;
      let base: string | undefined;
      if (input.base_tree !== undefined) {
        base = isFullSha(input.base_tree) ? await repo.resolveTree(input.base_tree) : undefined;
        if (!base) throw unprocessable("base_tree is not a valid tree oid");
      }
      for (const e of input.tree) {
        const hasSha = e.sha !== undefined;
        if (hasSha && e.content !== undefined) throw unprocessable("Must supply either tree.sha or tree.content, not both");
        if (!hasSha && e.content === undefined) throw unprocessable("Must supply either tree.sha or tree.content");
        if (e.content !== undefined && e.type !== "blob") throw unprocessable("tree.content can only be used with blobs");
        if ((e.type === "tree") !== (e.mode === "040000")) throw unprocessable(`tree.mode ${e.mode} does not match tree.type ${e.type}`);
        if (typeof e.sha === "string" && !isFullSha(e.sha)) throw unprocessable("tree.sha is not a valid SHA");
      }
      let sha: string;
      try {
        sha = await buildTree(repo, base, input.tree);
      } catch (err) {
        if (err instanceof GitCommandError) throw unprocessable("GitRPC::BadObjectState");
        throw err;
      }
      return { status: 201, body: await treeJson(ctx, sha, false), headers: { location: ctx.links.repoApi(`/git/trees/${sha}`) } };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/trees/:tree_sha",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    docs: "git/trees#get-a-tree",
    async handler(ctx) {
      const sha = await ctx.backend.repo.resolveTree(ctx.params.tree_sha!);
      if (!sha) throw notFound();
      // GitHub: "Setting this parameter to any value returns the objects or subtrees referenced".
      return { body: await treeJson(ctx, sha, ctx.url.searchParams.has("recursive")) };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/git/commits",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/git/commits",
    docs: "git/commits#create-a-commit",
    async handler(ctx) {
      const input = parseBody(createCommitSchema, await ctx.json());
      const { repo } = ctx.backend;
      if (!isFullSha(input.tree) || (await repo.objectType(input.tree)) !== "tree") throw unprocessable("Tree SHA does not exist");
      const parents = input.parents ?? [];
      for (const parent of parents) {
        if (!isFullSha(parent) || (await repo.objectType(parent)) !== "commit") {
          throw unprocessable("Parent SHA does not exist or is not a commit object");
        }
      }
      const author = identity(ctx, input.author);
      const committer = identity(ctx, input.committer, author);
      const sha = await repo.commitTree({ tree: input.tree, parents, message: input.message, author, committer });
      const commit = (await repo.readCommit(sha))!;
      return { status: 201, body: gitCommitJson(ctx.links, commit), headers: { location: ctx.links.repoApi(`/git/commits/${sha}`) } };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/commits/:commit_sha",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
    docs: "git/commits#get-a-commit-object",
    async handler(ctx) {
      const sha = ctx.params.commit_sha!;
      const commit = isFullSha(sha) ? await ctx.backend.repo.readCommit(sha) : undefined;
      if (!commit) throw notFound();
      return { body: gitCommitJson(ctx.links, commit) };
    },
  },
];
