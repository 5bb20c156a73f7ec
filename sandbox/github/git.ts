import { spawn } from "node:child_process";

/** A git command that exited non-zero; callers map known cases to GitHub errors. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: Buffer,
  ) {
    super(`git ${args[0] ?? ""} failed (${exitCode}): ${stderr.trim()}`);
  }
}

export interface GitRunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (merge-tree: 1 = conflicts). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
}

// The developer's own git configuration (hooks, templates, default branch,
// signing) must not leak into the sandbox repository or change its output.
const ISOLATED_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  // Paths from API requests are file names, never glob patterns.
  GIT_LITERAL_PATHSPECS: "1",
};

/**
 * Runs `git --git-dir=<repo> ...args` without a shell: arguments reach git
 * verbatim, so user-supplied names cannot inject commands.
 */
export function runGit(gitDir: string | undefined, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  const fullArgs = gitDir ? [`--git-dir=${gitDir}`, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, {
      // Cast: Next's typings make NODE_ENV required in ProcessEnv; git does not need it.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...ISOLATED_ENV, ...options.env } as unknown as NodeJS.ProcessEnv,
      stdio: "pipe",
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out);
      const exitCode = code ?? -1;
      if (exitCode === 0 || options.okExitCodes?.includes(exitCode)) {
        resolve({ stdout, exitCode });
      } else {
        reject(new GitCommandError(args, code, Buffer.concat(err).toString("utf8"), stdout));
      }
    });
    // git may exit before reading stdin (e.g. bad arguments); that is reported by "close".
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Convenience for commands whose output is one line of text. */
export async function gitLine(gitDir: string, args: readonly string[], options?: GitRunOptions): Promise<string> {
  return (await runGit(gitDir, args, options)).stdout.toString("utf8").trim();
}
