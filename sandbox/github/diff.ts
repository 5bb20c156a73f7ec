import type { GitRepository } from "./repository";
import type { FileChange } from "./views";

const STATUS: Record<string, FileChange["status"]> = { A: "added", D: "removed", M: "modified", T: "modified" };

/** Hunks only: GitHub's `patch` starts at the first "@@" line, without the diff header. */
function hunks(patch: string): string | undefined {
  const start = patch.search(/^@@/m);
  if (start === -1) return undefined;
  return patch.slice(start).replace(/\n$/, "");
}

/**
 * Per-file changes between two commits, computed by git itself
 * (renames are reported as removed + added, as with `--no-renames`).
 */
export async function diffFiles(repo: GitRepository, from: string, to: string): Promise<FileChange[]> {
  const raw = (await repo.run(["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to])).stdout.toString("utf8").split("\0");
  const numstat = (await repo.run(["diff-tree", "-r", "-z", "--no-renames", "--numstat", from, to])).stdout.toString("utf8").split("\0");

  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  for (const record of numstat) {
    const match = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/.exec(record);
    if (!match) continue;
    const binary = match[1] === "-";
    counts.set(match[3]!, { additions: binary ? 0 : Number(match[1]), deletions: binary ? 0 : Number(match[2]), binary });
  }

  const files: FileChange[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const meta = raw[i]!;
    const filename = raw[i + 1]!;
    if (!meta.startsWith(":")) continue;
    const [, , srcSha, dstSha, letter] = meta.slice(1).split(" ");
    const status = STATUS[letter!.charAt(0)] ?? "modified";
    const count = counts.get(filename) ?? { additions: 0, deletions: 0, binary: false };
    let patch: string | undefined;
    if (!count.binary) {
      const out = await repo.run(["diff-tree", "-p", "--no-renames", "--no-color", "--no-ext-diff", from, to, "--", filename]);
      patch = hunks(out.stdout.toString("utf8"));
    }
    files.push({
      filename,
      status,
      sha: status === "removed" ? srcSha! : dstSha!,
      additions: count.additions,
      deletions: count.deletions,
      ...(patch !== undefined ? { patch } : {}),
    });
  }
  return files;
}
