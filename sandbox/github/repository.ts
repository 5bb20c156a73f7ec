import { mkdir, stat } from "node:fs/promises";
import { GitCommandError, gitLine, runGit } from "./git";
import { buildTree } from "./tree-builder";

export const ZERO_SHA = "0000000000000000000000000000000000000000";
/** Git's well-known empty tree; git resolves it even when no such object was written. */
export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{7,40}$/;

export const isFullSha = (value: string) => FULL_SHA.test(value);

export type ObjectType = "blob" | "tree" | "commit" | "tag";

export interface TreeEntry {
  mode: string;
  type: ObjectType;
  sha: string;
  /** Blob size in bytes; undefined for trees and submodules. */
  size?: number;
  path: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601 as GitHub reports it (UTC, second precision). */
  date: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

export interface MergeResult {
  tree: string;
  conflicts: string[];
}

/** `2014-08-09T08:02:04Z`, the format GitHub's REST API uses for git dates. */
export function githubDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function gitDateEnv(iso: string): string {
  return `@${Math.floor(new Date(iso).getTime() / 1000)} +0000`;
}

function parsePerson(line: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!match) return { name: line, email: "", date: githubDate(new Date(0)) };
  return { name: match[1]!, email: match[2]!, date: githubDate(new Date(Number(match[3]) * 1000)) };
}

/**
 * The bare repository behind the stand-in. Everything goes through git
 * plumbing so that what the API reports is real history a clone would see.
 */
export class GitRepository {
  constructor(readonly path: string) {}

  /** Opens the bare repository at `path`, creating it with an initial commit on `main` if absent. */
  static async openOrInit(path: string, defaultBranch: string, initialFiles: Record<string, string>): Promise<GitRepository> {
    const repo = new GitRepository(path);
    const exists = await stat(`${path}/HEAD`).then(
      () => true,
      () => false,
    );
    if (exists) return repo;
    await mkdir(path, { recursive: true });
    await runGit(undefined, ["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, path]);
    const tree = await buildTree(
      repo,
      undefined,
      Object.entries(initialFiles).map(([filePath, content]) => ({ path: filePath, mode: "100644", type: "blob" as const, content })),
    );
    const identity = { name: "Platform Sandbox", email: "sandbox@platform.invalid", date: githubDate(new Date()) };
    const sha = await repo.commitTree({ tree, parents: [], message: "Initial commit\n", author: identity, committer: identity });
    await repo.updateRef(`refs/heads/${defaultBranch}`, sha, "");
    return repo;
  }

  run(args: readonly string[], options?: Parameters<typeof runGit>[2]) {
    return runGit(this.path, args, options);
  }

  /** SHA a full ref name (`refs/heads/x`) points at, or undefined. */
  async refSha(ref: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.run(["show-ref", "--verify", "--hash", "--", ref], { okExitCodes: [1, 128] });
    return exitCode === 0 ? stdout.toString().trim() : undefined;
  }

  /** All refs under a prefix such as `refs/heads/`. */
  async listRefs(prefix = "refs/"): Promise<Array<{ ref: string; sha: string }>> {
    const { stdout } = await this.run(["for-each-ref", "--format=%(refname) %(objectname)", "--", prefix]);
    return stdout
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref, sha] = line.split(" ");
        return { ref: ref!, sha: sha! };
      });
  }

  async isValidRefName(ref: string): Promise<boolean> {
    const { exitCode } = await this.run(["check-ref-format", ref], { okExitCodes: [1] });
    return exitCode === 0;
  }

  async objectType(sha: string): Promise<ObjectType | undefined> {
    if (!SHORT_SHA.test(sha)) return undefined;
    const { stdout, exitCode } = await this.run(["cat-file", "-t", sha], { okExitCodes: [1, 128] });
    return exitCode === 0 ? (stdout.toString().trim() as ObjectType) : undefined;
  }

  /**
   * Resolves what the REST API accepts as a commit-ish: a branch, a tag, a
   * `heads/x` / `refs/heads/x` name or a (possibly abbreviated) SHA.
   */
  async resolveCommit(spec: string): Promise<string | undefined> {
    const candidates = [`refs/heads/${spec}`, `refs/tags/${spec}`];
    if (spec.startsWith("refs/")) candidates.unshift(spec);
    else if (spec.startsWith("heads/") || spec.startsWith("tags/")) candidates.unshift(`refs/${spec}`);
    for (const ref of candidates) {
      const sha = await this.refSha(ref);
      if (sha) return this.peelToCommit(sha);
    }
    return SHORT_SHA.test(spec) ? this.peelToCommit(spec) : undefined;
  }

  private async peelToCommit(sha: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.run(["rev-parse", "--verify", "--quiet", `${sha}^{commit}`], { okExitCodes: [1, 128] });
    return exitCode === 0 ? stdout.toString().trim() : undefined;
  }

  /** Tree SHA for a tree SHA, a commit SHA or a branch name. */
  async resolveTree(spec: string): Promise<string | undefined> {
    const commit = await this.resolveCommit(spec);
    const base = commit ?? (SHORT_SHA.test(spec) ? spec : undefined);
    if (!base) return undefined;
    const { stdout, exitCode } = await this.run(["rev-parse", "--verify", "--quiet", `${base}^{tree}`], { okExitCodes: [1, 128] });
    return exitCode === 0 ? stdout.toString().trim() : undefined;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.run(["hash-object", "-w", "--stdin"], { input: content })).stdout.toString().trim();
  }

  async readBlob(sha: string): Promise<Buffer> {
    return (await this.run(["cat-file", "blob", sha])).stdout;
  }

  async lsTree(treeish: string, options: { recursive?: boolean; path?: string } = {}): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-z", "-l"];
    if (options.recursive) args.push("-r", "-t");
    args.push(treeish);
    if (options.path !== undefined) args.push("--", options.path);
    const { stdout } = await this.run(args);
    return stdout
      .toString("utf8")
      .split("\0")
      .filter(Boolean)
      .map((record) => {
        const tab = record.indexOf("\t");
        const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
        return {
          mode: mode!,
          type: type as ObjectType,
          sha: sha!,
          size: size === "-" ? undefined : Number(size),
          path: record.slice(tab + 1),
        };
      });
  }

  /** Writes one tree level; `git mktree` refuses SHAs of objects that do not exist. */
  async mktree(entries: ReadonlyArray<Omit<TreeEntry, "size">>): Promise<string> {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`).join("");
    return (await this.run(["mktree", "-z"], { input })).stdout.toString().trim();
  }

  async commitTree(c: { tree: string; parents: readonly string[]; message: string; author: GitIdentity; committer: GitIdentity }): Promise<string> {
    const args = ["commit-tree", c.tree, ...c.parents.flatMap((p) => ["-p", p])];
    const env = {
      GIT_AUTHOR_NAME: c.author.name,
      GIT_AUTHOR_EMAIL: c.author.email,
      GIT_AUTHOR_DATE: gitDateEnv(c.author.date),
      GIT_COMMITTER_NAME: c.committer.name,
      GIT_COMMITTER_EMAIL: c.committer.email,
      GIT_COMMITTER_DATE: gitDateEnv(c.committer.date),
    };
    return (await this.run(args, { input: c.message, env })).stdout.toString().trim();
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    if ((await this.objectType(sha)) !== "commit") return undefined;
    const raw = (await this.run(["cat-file", "commit", sha])).stdout.toString("utf8");
    const split = raw.indexOf("\n\n");
    const headerText = split === -1 ? raw : raw.slice(0, split);
    const message = split === -1 ? "" : raw.slice(split + 2);
    const full = await gitLine(this.path, ["rev-parse", "--verify", `${sha}^{commit}`]);
    const info: CommitInfo = { sha: full, tree: "", parents: [], author: parsePerson(""), committer: parsePerson(""), message };
    for (const line of headerText.split("\n")) {
      if (line.startsWith(" ")) continue; // continuation of a multi-line header (gpgsig)
      const space = line.indexOf(" ");
      const key = line.slice(0, space);
      const value = line.slice(space + 1);
      if (key === "tree") info.tree = value;
      else if (key === "parent") info.parents.push(value);
      else if (key === "author") info.author = parsePerson(value);
      else if (key === "committer") info.committer = parsePerson(value);
    }
    return info;
  }

  /**
   * Compare-and-swap ref update: `expectedOld` "" means the ref must not exist,
   * undefined means no check. Returns false when the ref moved meanwhile.
   */
  async updateRef(ref: string, sha: string, expectedOld?: string): Promise<boolean> {
    const args = ["update-ref", ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld);
    try {
      await this.run(args);
      return true;
    } catch (err) {
      if (err instanceof GitCommandError) return false;
      throw err;
    }
  }

  async deleteRef(ref: string, expectedOld: string): Promise<boolean> {
    try {
      await this.run(["update-ref", "-d", ref, expectedOld]);
      return true;
    } catch (err) {
      if (err instanceof GitCommandError) return false;
      throw err;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const { exitCode } = await this.run(["merge-base", "--is-ancestor", ancestor, descendant], { okExitCodes: [1] });
    return exitCode === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.run(["merge-base", a, b], { okExitCodes: [1] });
    return exitCode === 0 ? stdout.toString().trim() : undefined;
  }

  /** Commits reachable from `to` but not from `from`, oldest first. */
  async commitsBetween(from: string, to: string, max = 250): Promise<string[]> {
    const { stdout } = await this.run(["rev-list", "--reverse", `--max-count=${max}`, `${from}..${to}`]);
    return stdout.toString().split("\n").filter(Boolean);
  }

  async countBetween(from: string, to: string): Promise<number> {
    return Number(await gitLine(this.path, ["rev-list", "--count", `${from}..${to}`]));
  }

  /** A real three-way merge (git ≥ 2.38) without a work tree; writes the result tree. */
  async mergeTree(ours: string, theirs: string): Promise<MergeResult> {
    const { stdout, exitCode } = await this.run(["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs], {
      okExitCodes: [1],
    });
    const [tree, ...files] = stdout.toString("utf8").split("\0").filter(Boolean);
    return { tree: tree!, conflicts: exitCode === 1 ? [...new Set(files)] : [] };
  }
}
