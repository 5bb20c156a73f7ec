import { unprocessable } from "./errors";
import { EMPTY_TREE, type GitRepository, type ObjectType } from "./repository";

/** One entry of `POST /git/trees`: `sha: null` deletes, `content` writes a new blob. */
export interface TreeEdit {
  path: string;
  mode: string;
  type: Exclude<ObjectType, "tag">;
  sha?: string | null;
  content?: string | Buffer;
}

interface Leaf {
  kind: "leaf";
  mode: string;
  type: ObjectType;
  sha: string;
}

interface Dir {
  kind: "dir";
  /** SHA of the tree as it was read; reused when nothing below changed. */
  sha: string | undefined;
  entries: Map<string, Leaf | Dir> | undefined;
  dirty: boolean;
}

const newDir = (sha?: string): Dir => ({ kind: "dir", sha, entries: sha ? undefined : new Map(), dirty: !sha });

async function load(repo: GitRepository, dir: Dir): Promise<Map<string, Leaf | Dir>> {
  if (dir.entries) return dir.entries;
  const entries = new Map<string, Leaf | Dir>();
  for (const e of await repo.lsTree(dir.sha!)) {
    entries.set(e.path, e.type === "tree" ? newDir(e.sha) : { kind: "leaf", mode: e.mode, type: e.type, sha: e.sha });
  }
  dir.entries = entries;
  return entries;
}

function splitPath(path: string): string[] {
  const parts = path.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || p === ".git")) {
    throw unprocessable(`tree.path contains a malformed path component: ${path}`);
  }
  return parts;
}

async function apply(repo: GitRepository, root: Dir, edit: TreeEdit): Promise<void> {
  const parts = splitPath(edit.path);
  const name = parts.pop()!;
  const deleting = edit.sha === null;
  let dir = root;
  dir.dirty = true;
  for (const part of parts) {
    const entries = await load(repo, dir);
    let next = entries.get(part);
    if (next?.kind !== "dir") {
      // GitHub answers deletes of paths that are not there with this GitRPC error.
      if (deleting) throw unprocessable("GitRPC::BadObjectState");
      next = newDir();
      entries.set(part, next);
    }
    dir = next;
    dir.dirty = true;
  }
  const entries = await load(repo, dir);
  if (deleting) {
    if (!entries.delete(name)) throw unprocessable("GitRPC::BadObjectState");
    return;
  }
  let sha = edit.sha;
  if (edit.content !== undefined) {
    sha = await repo.writeBlob(Buffer.isBuffer(edit.content) ? edit.content : Buffer.from(edit.content, "utf8"));
  }
  if (edit.type === "tree") {
    if ((await repo.objectType(sha!)) !== "tree") throw unprocessable(`tree.sha ${sha} is not a valid tree`);
    entries.set(name, newDir(sha!));
  } else {
    if (edit.type === "blob" && (await repo.objectType(sha!)) !== "blob") throw unprocessable("GitRPC::BadObjectState");
    entries.set(name, { kind: "leaf", mode: edit.mode, type: edit.type, sha: sha! });
  }
}

async function write(repo: GitRepository, dir: Dir): Promise<string | undefined> {
  if (!dir.dirty) return dir.sha;
  const out: Array<{ mode: string; type: ObjectType; sha: string; path: string }> = [];
  for (const [name, entry] of dir.entries ?? []) {
    if (entry.kind === "leaf") {
      out.push({ mode: entry.mode, type: entry.type, sha: entry.sha, path: name });
      continue;
    }
    const sha = await write(repo, entry);
    // Git has no empty directories: a folder whose last file was deleted disappears.
    if (sha) out.push({ mode: "040000", type: "tree", sha, path: name });
  }
  if (out.length === 0) return undefined;
  return repo.mktree(out);
}

/**
 * Applies edits (nested paths allowed, as in GitHub's API) on top of `baseTree`
 * and writes only the tree objects that changed.
 */
export async function buildTree(repo: GitRepository, baseTree: string | undefined, edits: readonly TreeEdit[]): Promise<string> {
  const root = newDir(baseTree);
  for (const edit of edits) await apply(repo, root, edit);
  return (await write(repo, root)) ?? EMPTY_TREE;
}
