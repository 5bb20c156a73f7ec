import { notFound } from "../errors";
import { encodePath } from "../links";
import type { TreeEntry } from "../repository";
import type { Route, RouteContext } from "../route-types";
import { wrappedBase64 } from "./common";

// Files above 1 MB come back with empty content and encoding "none" (GitHub's rule).
const INLINE_LIMIT = 1024 * 1024;

function kind(e: Pick<TreeEntry, "mode" | "type">): "file" | "dir" | "symlink" | "submodule" {
  if (e.type === "tree") return "dir";
  if (e.type === "commit") return "submodule";
  return e.mode === "120000" ? "symlink" : "file";
}

function entryJson(ctx: RouteContext, e: TreeEntry, ref: string) {
  const type = kind(e);
  const path = encodePath(e.path);
  const self = ctx.links.repoApi(`/contents/${path}?ref=${encodeURIComponent(ref)}`);
  const git = type === "submodule" ? null : ctx.links.repoApi(`/git/${type === "dir" ? "trees" : "blobs"}/${e.sha}`);
  const html = ctx.links.repoHtml(`/${type === "dir" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`);
  return {
    type,
    name: e.path.split("/").pop()!,
    path: e.path,
    sha: e.sha,
    size: e.size ?? 0,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === "file" ? ctx.links.repoHtml(`/raw/${encodeURIComponent(ref)}/${path}`) : null,
    _links: { self, git, html },
  };
}

function wantsRaw(ctx: RouteContext): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(ctx.req.headers.accept ?? "");
}

async function getContent(ctx: RouteContext) {
  const { repo, id } = ctx.backend;
  const ref = ctx.url.searchParams.get("ref") || id.defaultBranch;
  const commit = await repo.resolveCommit(ref);
  if (!commit) throw notFound();
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  if (path.split("/").some((part) => part === "." || part === "..")) throw notFound();
  if (path === "") {
    const entries = await repo.lsTree(commit);
    return { body: entries.map((e) => entryJson(ctx, e, ref)) };
  }
  const [entry] = await repo.lsTree(commit, { path });
  if (!entry || entry.path !== path) throw notFound();
  if (entry.type === "tree") {
    const entries = await repo.lsTree(entry.sha);
    return { body: entries.map((e) => entryJson(ctx, { ...e, path: `${path}/${e.path}` }, ref)) };
  }
  const json = entryJson(ctx, entry, ref);
  if (json.type !== "file" && json.type !== "symlink") return { body: json };
  const content = await repo.readBlob(entry.sha);
  if (wantsRaw(ctx)) {
    ctx.res.writeHead(200, { "content-type": "application/vnd.github.raw; charset=utf-8", "content-length": content.length });
    ctx.res.end(content);
    return undefined;
  }
  if (json.type === "symlink") return { body: { ...json, target: content.toString("utf8") } };
  const inline = content.length <= INLINE_LIMIT;
  return { body: { ...json, content: inline ? wrappedBase64(content) : "", encoding: inline ? "base64" : "none" } };
}

export const contentRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/contents",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/contents/{path}",
    docs: "repos/contents#get-repository-content",
    handler: getContent,
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/contents/*path",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/contents/{path}",
    docs: "repos/contents#get-repository-content",
    handler: getContent,
  },
];
