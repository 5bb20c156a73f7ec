import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { expect } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import type { GitHubConfig } from "@/lib/integrations/github/octokit";
import { createPlatformRepo, type FileChange, type PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { createArgoClient, type ArgoClient } from "@/lib/integrations/kubernetes/argo";
import { openPullRequest } from "@/lib/requests/open-pull-request";
import type { Platform } from "@/lib/requests/platform";
import type { ChangeSummary } from "@/lib/requests/pr-body";
import type { PreparedChange } from "@/lib/requests/prepare-change";
import { createQueuedRequest } from "@/lib/requests/submit-request";
import { startSandbox, type Sandbox } from "@/sandbox/start";
import { principalFor, seedUser } from "./seed";

export type GitopsSandbox = {
  sandbox: Sandbox;
  config: GitHubConfig;
  /** The portal's platform repo (Octokit with the retry hook). */
  repo: PlatformRepo;
  argo: ArgoClient;
  platform: Platform;
  /** A plain Octokit without the portal's hook: to look at GitHub as it is. */
  github: Octokit;
  owner: string;
  name: string;
  close: () => Promise<void>;
};

export function githubConfigFor(baseUrl: string, sandbox: Sandbox, timeoutMs = 5_000): GitHubConfig {
  return { baseUrl, owner: sandbox.github.owner, repo: sandbox.github.repo, baseBranch: "main", auth: { kind: "token", token: sandbox.github.token }, timeoutMs };
}

/** The sandbox (GitHub + cluster stand-ins) on ephemeral ports, with the portal's clients pointed at it. */
export async function startGitopsSandbox(): Promise<GitopsSandbox> {
  const sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
  // Hook 1 posts to the portal's /api/webhooks/github, which no test runs: drop it so nothing
  // retries against localhost:3000 (or reaches a dev server that happens to listen there).
  expect(sandbox.github.control.removeWebhook(1)).toBe(true);
  const config = githubConfigFor(sandbox.urls.github, sandbox);
  const repo = createPlatformRepo(config);
  const argo = createArgoClient({ kubeconfigPath: sandbox.cluster.kubeconfigPath, namespace: "argocd", timeoutMs: 5_000 });
  return {
    sandbox,
    config,
    repo,
    argo,
    platform: { repo, argo },
    github: new Octokit({ baseUrl: sandbox.urls.github, auth: sandbox.github.token }),
    owner: sandbox.github.owner,
    name: sandbox.github.repo,
    close: () => sandbox.close(),
  };
}

/** Every pull request (any state) whose head is `branch`. */
export async function pullsForHead(gh: GitopsSandbox, branch: string) {
  const { data } = await gh.github.pulls.list({ owner: gh.owner, repo: gh.name, state: "all", head: `${gh.owner}:${branch}`, per_page: 100 });
  return data.filter((p) => p.head.ref === branch);
}

/** Branch names under a prefix (matching-refs is a prefix match, so near-duplicates show up too). */
export async function branchesUnder(gh: GitopsSandbox, prefix: string): Promise<string[]> {
  const { data } = await gh.github.git.listMatchingRefs({ owner: gh.owner, repo: gh.name, ref: `heads/${prefix}` });
  return data.map((r) => r.ref.replace(/^refs\/heads\//, ""));
}

/** Commits `files` on top of `branch` (as a person pushing to the PR would) and returns the new head. */
export async function pushToBranch(gh: GitopsSandbox, branch: string, files: FileChange[], message = "Pushed by hand"): Promise<string> {
  const { owner, name: repo } = gh;
  const { data: ref } = await gh.github.git.getRef({ owner, repo, ref: `heads/${branch}` });
  const { data: parent } = await gh.github.git.getCommit({ owner, repo, commit_sha: ref.object.sha });
  const { data: tree } = await gh.github.git.createTree({
    owner,
    repo,
    base_tree: parent.tree.sha,
    tree: files.map((f) => ({ path: f.path, mode: "100644" as const, type: "blob" as const, ...(f.content === null ? { sha: null } : { content: f.content }) })),
  });
  const { data: commit } = await gh.github.git.createCommit({ owner, repo, message, tree: tree.sha, parents: [ref.object.sha] });
  await gh.github.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha });
  return commit.sha;
}

/** A couple of valid, simple manifests under tenants/<tenant>/models/<name>/. */
export function configMapFiles(tenant: string, name: string): FileChange[] {
  const cm = (suffix: string, value: string) =>
    [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      `  name: ${name}-${suffix}`,
      `  namespace: ${tenant}`,
      "data:",
      `  value: "${value}"`,
      "",
    ].join("\n");
  return [
    { path: `tenants/${tenant}/models/${name}/settings.yaml`, content: cm("settings", "a") },
    { path: `tenants/${tenant}/models/${name}/limits.yaml`, content: cm("limits", "b") },
  ];
}

export function summaryOf(title: string): ChangeSummary {
  return { title, summaryRows: [], checklist: [], costDeltaCents: null };
}

/** A change that openPullRequest commits as it is ("rollback" requests are not rendered again). */
export function literalChange(tenantId: string, title: string, files: FileChange[], argoApp: string | null = null): PreparedChange {
  return { kind: "rollback", tenantId, title, payload: { rollbackOf: null }, files, summary: summaryOf(title), argoApp };
}

export type People = { requester: Principal; approver: Principal };

/** A tenant admin who asks and a platform admin who decides (approving is a platform decision). */
export async function seedPeople(db: Db, tenantId: string): Promise<People> {
  const requester = await seedUser(db);
  const approver = await seedUser(db);
  return {
    requester: principalFor(requester, { tenants: { [tenantId]: "tenant-admin" } }),
    approver: principalFor(approver, { platform: ["platform-admin"] }),
  };
}

/** Queued through the portal's own path, then its PR opened by the outbox handler: a submitted request. */
export async function submittedRequest(db: Db, repo: PlatformRepo, requester: Principal, change: PreparedChange) {
  const queued = await createQueuedRequest(db, requester, change);
  await openPullRequest(db, repo, queued.id);
  const row = await db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } });
  expect(row.status).toBe("submitted");
  return row as typeof row & { prNumber: number; headSha: string };
}

export type Recorded = { method: string; path: string; status: number; at: number; injected: boolean };
export type Injection = { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A pass-through HTTP proxy in front of the GitHub stand-in that records every request that
 * reaches it (so retries can be counted from the wire) and can answer the next requests itself.
 */
export async function startRecordingProxy(target: string) {
  const log: Recorded[] = [];
  const queue: Injection[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const at = performance.now();
    const path = (req.url ?? "/").split("?")[0]!;
    const injected = queue.shift();
    if (injected) {
      log.push({ method: req.method ?? "GET", path, status: injected.status, at, injected: true });
      res.writeHead(injected.status, { "content-type": "application/json", ...injected.headers });
      res.end(JSON.stringify(injected.body ?? { message: "Injected by the test proxy" }));
      return;
    }
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: forwardable(req.headers),
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      log.push({ method: req.method ?? "GET", path, status: upstream.status, at, injected: false });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(key)) headers[key] = value;
      });
      res.writeHead(upstream.status, headers);
      res.end(body);
    } catch (error) {
      res.writeHead(599);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    /** The next `times` requests get this answer instead of reaching GitHub. */
    inject(answer: Injection, times = 1) {
      for (let i = 0; i < times; i++) queue.push(answer);
    },
    reset() {
      log.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(key)) continue;
    out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
