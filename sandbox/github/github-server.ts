import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BodyError, readBody } from "../http/body";
import { sendJson } from "../http/respond";
import { Credentials } from "./auth";
import { GitHubBackend } from "./backend";
import { DOCS_ROOT, GitHubError } from "./errors";
import { Faults, type FaultSettings } from "./faults";
import { Links, type RepoIdentity } from "./links";
import { GitRepository } from "./repository";
import type { Route, RouteContext } from "./route-types";
import { matchRoute } from "./router";
import { appRoutes } from "./routes/app";
import { commitRoutes } from "./routes/commits";
import { contentRoutes } from "./routes/contents";
import { gitDataRoutes } from "./routes/git-data";
import { mergeRoutes } from "./routes/merge";
import { pullRoutes } from "./routes/pulls";
import { refRoutes } from "./routes/refs";
import { repoRoutes } from "./routes/repo";
import { reviewRoutes } from "./routes/reviews";
import { sandboxRoutes } from "./routes/sandbox";
import { GitHubStore } from "./state";
import { WebhookDispatcher, type Delivery, type WebhookConfig } from "./webhooks";

export { signatureFor, type Delivery, type WebhookConfig } from "./webhooks";
export type { FaultSettings } from "./faults";

/** Every route the stand-in serves; the contract test walks the ones with an `operation`. */
export const GITHUB_ROUTES: readonly Route[] = [
  ...appRoutes,
  ...repoRoutes,
  ...refRoutes,
  ...gitDataRoutes,
  ...contentRoutes,
  ...pullRoutes,
  ...mergeRoutes,
  ...reviewRoutes,
  ...commitRoutes,
  ...sandboxRoutes,
];

export const GITHUB_DEFAULTS = {
  owner: "platform",
  repo: "platform-gitops",
  defaultBranch: "main",
  token: "ghs_sandbox_token",
  botLogin: "inference-portal[bot]",
  appId: 1001,
  installationId: 2002,
} as const;

export interface GitHubServerOptions {
  /** Holds the bare repository and PR metadata; a fresh temp dir (removed on close) when unset. */
  dataDir?: string;
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Static token accepted like an installation token. */
  token?: string;
  /** Login of the account PRs, reviews and comments are attributed to. */
  botLogin?: string;
  appId?: number;
  installationId?: number;
  /** PEM (PKCS#1 or PKCS#8) of the app key; generated per start when unset. */
  appPrivateKeyPem?: string;
  /** Extra path prefix of the API (e.g. "/github"); `/api/v3` is always accepted too. */
  basePath?: string;
  /** Origin used in URLs handed out (e.g. "http://localhost:3900"); the request's Host otherwise. */
  publicUrl?: string;
  /** Delete the head branch after a merge, like the repository setting. */
  deleteBranchOnMerge?: boolean;
  /**
   * Refuse APPROVE / REQUEST_CHANGES reviews on the bot's own PRs with GitHub's 422
   * ("Review Can not approve your own pull request"). Off by default.
   */
  rejectSelfApproval?: boolean;
  webhooks?: WebhookConfig[];
  /** Pauses before webhook retries; default 3 retries after 0.5 s, 2 s, 5 s. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
}

export interface GitHubControl {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly botLogin: string;
  readonly appId: number;
  readonly installationId: number;
  /** The GitHub App's private key (PKCS#1 PEM) for `@octokit/auth-app`. */
  readonly appPrivateKeyPem: string;
  readonly dataDir: string;
  addWebhook(url: string, secret: string, events?: string[]): number;
  removeWebhook(id: number): boolean;
  /** Every delivery and redelivery so far, oldest first. */
  readonly deliveries: readonly Delivery[];
  /** Sends a delivery again with the same body and X-GitHub-Delivery id; resolves when answered. */
  redeliver(deliveryId: string): Promise<Delivery>;
  /** Resolves once no webhook delivery or retry is pending. */
  webhooksSettled(): Promise<void>;
  setFault(settings: FaultSettings): void;
  resetFaults(): void;
  /** Merges answer 405 with `reason` and report `mergeable_state: "blocked"`; null lifts the block. */
  blockMerge(target: number | "all", reason: string | null): void;
  unblockMerge(target: number | "all"): void;
}

export interface GitHubServer {
  server: Server;
  repoPath: string;
  control: GitHubControl;
}

const RATE_HEADERS = {
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": "4999",
  "x-ratelimit-used": "1",
  "x-ratelimit-resource": "core",
  "x-github-media-type": "github.v3; format=json",
  "x-github-api-version-selected": "2022-11-28",
};

// Blobs travel base64-encoded in JSON; GitHub accepts files up to 100 MB.
const BODY_LIMIT_BYTES = 150 * 1024 * 1024;

const isLoopback = (req: IncomingMessage) => ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");

function initialFiles(owner: string, repo: string): Record<string, string> {
  return {
    "README.md": `# ${owner}/${repo}\n\nPlatform GitOps repository (sandbox). Tenant configuration lives under \`tenants/\`.\n`,
    "tenants/.gitkeep": "",
  };
}

/**
 * A GitHub REST API stand-in for one repository, backed by a real bare git
 * repository: what the portal writes through the API is history `git log`
 * (and a GitOps controller) can read.
 */
const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * The App's key pair (PKCS#1 PEM, as GitHub hands it out), generated asynchronously: Node 20's
 * synchronous RSA key generation can deadlock with a garbage collection in the same process
 * (see sandbox/dex/signing-key.ts).
 */
async function generateAppPrivateKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return privateKey;
}

export async function createGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const o = { ...GITHUB_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof GITHUB_DEFAULTS &
    GitHubServerOptions;
  const ownedTempDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), "sandbox-github-"));
  const dataDir = options.dataDir ?? ownedTempDir!;
  const repoPath = join(dataDir, o.owner, `${o.repo}.git`);
  const repo = await GitRepository.openOrInit(repoPath, o.defaultBranch, initialFiles(o.owner, o.repo));
  const root = (await repo.run(["rev-list", "--max-parents=0", "--reverse", o.defaultBranch])).stdout.toString().split("\n")[0]!;
  const createdAt = (await repo.readCommit(root))!.committer.date;

  const id: RepoIdentity = {
    owner: o.owner,
    repo: o.repo,
    defaultBranch: o.defaultBranch,
    botLogin: o.botLogin,
    botId: 190_000_001,
    ownerId: 190_000_002,
    repoId: 790_000_001,
    appId: o.appId,
  };
  const credentials = new Credentials(o.token, o.appId, o.appPrivateKeyPem ?? (await generateAppPrivateKeyPem()));
  const faults = new Faults();
  const webhooks = new WebhookDispatcher(
    { retryDelaysMs: o.webhookRetryDelaysMs ?? [500, 2000, 5000], timeoutMs: o.webhookTimeoutMs ?? 10_000 },
    id.repoId,
  );
  for (const hook of o.webhooks ?? []) webhooks.add(hook);
  const backend = new GitHubBackend(id, repo, new GitHubStore(dataDir), credentials, faults, webhooks, {
    deleteBranchOnMerge: o.deleteBranchOnMerge ?? false,
    rejectSelfApproval: o.rejectSelfApproval ?? false,
    installationId: o.installationId,
    createdAt,
  });

  const basePath = (o.basePath ?? "").replace(/\/+$/, "");
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err, DOCS_ROOT));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    let prefix = "";
    for (const candidate of [basePath, "/api/v3"]) {
      if (candidate && (url.pathname === candidate || url.pathname.startsWith(`${candidate}/`))) {
        prefix = candidate;
        break;
      }
    }
    const path = url.pathname.slice(prefix.length) || "/";
    const match = matchRoute(GITHUB_ROUTES, req.method ?? "GET", path);
    // GitHub answers unknown routes and unsupported methods alike with 404.
    if (match === undefined || match === "method-not-allowed") {
      sendError(res, new GitHubError(404, "Not Found"), DOCS_ROOT);
      return;
    }
    const { route, params } = match;
    const docs = route.docs ? `https://docs.github.com/rest/${route.docs}` : DOCS_ROOT;
    try {
      if (route.auth === "none") {
        if (!isLoopback(req)) throw new GitHubError(403, "Sandbox control endpoints accept loopback callers only");
      } else if (route.auth !== "public") {
        const fault = faults.take();
        if (fault.kind === "unavailable") throw new GitHubError(503, "Service Unavailable");
        if (fault.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (route.auth === "app") credentials.requireAppJwt(req);
        else credentials.requireToken(req);
      }
      if (params.owner !== undefined && (params.owner.toLowerCase() !== id.owner.toLowerCase() || params.repo?.toLowerCase() !== id.repo.toLowerCase())) {
        throw new GitHubError(404, "Not Found");
      }
      const origin = o.publicUrl?.replace(/\/+$/, "") ?? `http://${req.headers.host ?? "localhost"}`;
      let bodyPromise: Promise<unknown> | undefined;
      const ctx: RouteContext = {
        req,
        res,
        url,
        path,
        params,
        backend,
        links: new Links(`${origin}${prefix}`, origin, id),
        json: () => (bodyPromise ??= readJsonBody(req)),
      };
      // API reads run concurrently; API writes are serialized. Control routes stay
      // outside the queue: a redelivery waits for the receiver, which may call the API.
      const run = () => Promise.resolve(route.handler(ctx));
      const serialize = req.method !== "GET" && (route.auth === "token" || route.auth === "app");
      const result = serialize ? await backend.exclusive(run) : await run();
      if (!result) return;
      const headers = { ...RATE_HEADERS, "x-github-request-id": randomUUID().toUpperCase(), ...result.headers };
      if (result.body === undefined) {
        res.writeHead(result.status ?? 204, headers);
        res.end();
      } else {
        sendJson(res, result.status ?? 200, result.body, headers);
      }
    } catch (err) {
      sendError(res, err, docs);
    }
  }

  server.on("close", () => {
    webhooks.close();
    if (ownedTempDir) rmSync(ownedTempDir, { recursive: true, force: true });
  });

  const control: GitHubControl = {
    token: o.token,
    owner: id.owner,
    repo: id.repo,
    defaultBranch: id.defaultBranch,
    botLogin: id.botLogin,
    appId: o.appId,
    installationId: o.installationId,
    appPrivateKeyPem: credentials.appPrivateKeyPem,
    dataDir,
    addWebhook: (url, secret, events) => webhooks.add({ url, secret, events }),
    removeWebhook: (hookId) => webhooks.remove(hookId),
    get deliveries() {
      return webhooks.deliveries;
    },
    redeliver: (deliveryId) => webhooks.redeliver(deliveryId),
    webhooksSettled: () => webhooks.settled(),
    setFault: (settings) => faults.set(settings),
    resetFaults: () => faults.reset(),
    blockMerge: (target, reason) => faults.blockMerge(target, reason),
    unblockMerge: (target) => faults.blockMerge(target, null),
  };
  return { server, repoPath, control };
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req, BODY_LIMIT_BYTES);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GitHubError(400, "Problems parsing JSON");
  }
}

function sendError(res: ServerResponse, err: unknown, documentationUrl: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let error: GitHubError;
  if (err instanceof GitHubError) error = err;
  else if (err instanceof BodyError) error = new GitHubError(err.status, err.message);
  else {
    // Unknown failures: generic message, details only in the sandbox's own log.
    console.error("[sandbox github]", err);
    error = new GitHubError(500, "Server Error");
  }
  sendJson(res, error.status, error.toBody(documentationUrl), { ...RATE_HEADERS, "x-github-request-id": randomUUID().toUpperCase(), ...error.headers });
}
