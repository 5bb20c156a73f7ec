import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A throwaway platform repo for tests: a bare repository (what the GitHub stand-in serves) and
 * a work tree that commits and pushes to its `main`, like a merged pull request would.
 */
export interface TestRepo {
  repoPath: string;
  /** Writes (string) or deletes (null) files, commits, pushes to main; returns the commit sha. */
  commit(files: Record<string, string | null>, message?: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createTestRepo(): Promise<TestRepo> {
  const root = await mkdtemp(path.join(os.tmpdir(), "platform-repo-"));
  const repoPath = path.join(root, "platform.git");
  const work = path.join(root, "work");
  const git = (cwd: string, ...args: string[]) => run("git", args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  await run("git", ["init", "--quiet", "--bare", "--initial-branch=main", repoPath]);
  await run("git", ["init", "--quiet", "--initial-branch=main", work]);
  await git(work, "config", "user.email", "portal@example.com");
  await git(work, "config", "user.name", "Portal Test");
  await git(work, "config", "commit.gpgsign", "false");

  return {
    repoPath,
    async commit(files, message = "update") {
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(work, file);
        if (content === null) await rm(target, { recursive: true, force: true });
        else {
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await git(work, "add", "-A");
      await git(work, "commit", "--quiet", "--allow-empty", "-m", message);
      await git(work, "push", "--quiet", repoPath, "HEAD:refs/heads/main");
      return (await git(work, "rev-parse", "HEAD")).stdout.trim();
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
