import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

/** Read-only access to the platform repo (a bare repository) through the git CLI. */

const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };

async function git(repoPath: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", repoPath, ...args], { env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The commit a branch points at, or undefined while the repo or the branch does not exist. */
export async function branchHead(repoPath: string, branch: string): Promise<string | undefined> {
  try {
    const out = await git(repoPath, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`]);
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface TreeFile {
  path: string;
  blob: string;
}

/** Files (blobs, recursively) under `prefix` at `commit`. */
export async function listFiles(repoPath: string, commit: string, prefix: string): Promise<TreeFile[]> {
  const out = await git(repoPath, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix]);
  const files: TreeFile[] = [];
  for (const entry of out.split("\0")) {
    // "<mode> <type> <object>\t<path>"
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [, type, object] = entry.slice(0, tab).split(" ");
    if (type === "blob" && object) files.push({ path: entry.slice(tab + 1), blob: object });
  }
  return files;
}

/** Contents of blobs, read through one `git cat-file --batch`. */
export function readBlobs(repoPath: string, blobs: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(blobs)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["--git-dir", repoPath, "cat-file", "--batch"], { env: GIT_ENV });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => errors.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed: ${Buffer.concat(errors).toString()}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks)));
      } catch (err) {
        reject(err as Error);
      }
    });
    child.stdin.end(unique.join("\n") + "\n");
  });
}

function parseBatch(out: Buffer): Map<string, string> {
  const result = new Map<string, string>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    const header = out.subarray(pos, nl).toString();
    const [object, type, size] = header.split(" ");
    if (type === "missing" || !object || !size) throw new Error(`git object not found: ${header}`);
    const start = nl + 1;
    const end = start + Number(size);
    result.set(object, out.subarray(start, end).toString("utf8"));
    pos = end + 1; // content is followed by a newline
  }
  return result;
}

/** Writes the whole tree of `commit` into `dir` (for tools that need files, like kustomize). */
export function exportTree(repoPath: string, commit: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn("git", ["--git-dir", repoPath, "archive", "--format=tar", commit], { env: GIT_ENV });
    const tar = spawn("tar", ["-x", "-C", dir]);
    archive.stdout.pipe(tar.stdin);
    const errors: string[] = [];
    archive.stderr.on("data", (c: Buffer) => errors.push(c.toString()));
    tar.stderr.on("data", (c: Buffer) => errors.push(c.toString()));
    archive.on("error", reject);
    tar.on("error", reject);
    tar.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git archive | tar failed: ${errors.join("")}`))));
  });
}
