import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { closeServer, listen } from "../http/listen";
import { runGit } from "./git";
import { createGitHubServer, type GitHubControl, type GitHubServerOptions } from "./github-server";

/** Octokit logs every failed request; the tests provoke many on purpose. */
export const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

/** The RequestError-like failure of an Octokit call (status, message, response). */
export interface OctokitFailure {
  status: number;
  message: string;
  response?: { data: unknown; headers: Record<string, string | number | undefined> };
}

export async function failure(promise: Promise<unknown>): Promise<OctokitFailure> {
  try {
    await promise;
  } catch (err) {
    if (typeof (err as OctokitFailure).status === "number") return err as OctokitFailure;
    throw err;
  }
  throw new Error("expected the request to fail");
}

export interface TestGitHub {
  baseUrl: string;
  octokit: Octokit;
  control: GitHubControl;
  repoPath: string;
  owner: string;
  repo: string;
  /** Runs git against the bare repository, outside the API, to check real history. */
  git(...args: string[]): Promise<string>;
  gitBytes(...args: string[]): Promise<Buffer>;
  close(): Promise<void>;
}

/** A stand-in on an ephemeral port with its own temp data directory. */
export async function startTestGitHub(options: GitHubServerOptions = {}): Promise<TestGitHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "github-test-"));
  const gh = await createGitHubServer({ webhookRetryDelaysMs: [20, 40], ...options, dataDir });
  const port = await listen(gh.server, 0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${port}${options.basePath ?? ""}`;
  const gitBytes = async (...args: string[]) => (await runGit(gh.repoPath, args)).stdout;
  return {
    baseUrl,
    octokit: new Octokit({ baseUrl, auth: gh.control.token, log: QUIET }),
    control: gh.control,
    repoPath: gh.repoPath,
    owner: gh.control.owner,
    repo: gh.control.repo,
    gitBytes,
    git: async (...args) => (await gitBytes(...args)).toString("utf8").trim(),
    async close() {
      await closeServer(gh.server);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  json: Record<string, unknown>;
}

/** A webhook endpoint that records raw requests; `statuses` answers the first N requests (then 200). */
export async function startHookReceiver(statuses: number[] = []) {
  const received: ReceivedHook[] = [];
  const queue = [...statuses];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      received.push({ headers: req.headers, rawBody, json: JSON.parse(rawBody.toString("utf8")) as Record<string, unknown> });
      res.writeHead(queue.shift() ?? 200).end();
    });
  });
  const port = await listen(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    events: (name: string) => received.filter((r) => r.headers["x-github-event"] === name),
    close: () => closeServer(server),
  };
}

/** Creates `branch` from main with one commit writing `files`, through the Git Database API. */
export async function commitOnBranch(gh: TestGitHub, branch: string, files: Record<string, string | null>, message = `Update ${branch}`, from?: string) {
  const { octokit, owner, repo } = gh;
  const existing = await octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }).catch(() => undefined);
  const parent = existing?.data.object.sha ?? from ?? (await octokit.git.getRef({ owner, repo, ref: "heads/main" })).data.object.sha;
  const parentCommit = await octokit.git.getCommit({ owner, repo, commit_sha: parent });
  const tree = await octokit.git.createTree({
    owner,
    repo,
    base_tree: parentCommit.data.tree.sha,
    tree: Object.entries(files).map(([path, content]) =>
      content === null ? { path, mode: "100644" as const, type: "blob" as const, sha: null } : { path, mode: "100644" as const, type: "blob" as const, content },
    ),
  });
  const commit = await octokit.git.createCommit({ owner, repo, message, tree: tree.data.sha, parents: [parent] });
  if (existing) await octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.data.sha });
  else await octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha });
  return commit.data.sha;
}
