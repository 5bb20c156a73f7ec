import type { Server } from "node:http";
import { join } from "node:path";
import type { SandboxOptions } from "../config";
import { listen } from "../http/listen";
import { createGitHubServer, type GitHubControl } from "./github-server";

/** What `startSandbox` hands out about the GitHub stand-in. */
export interface SandboxGitHub {
  token: string;
  owner: string;
  repo: string;
  /** The bare repository on disk (what a GitOps controller stand-in can read). */
  repoPath: string;
  control: GitHubControl;
}

interface WiringOptions {
  host: string;
  githubPort: number;
  githubDataDir?: string;
  stateDir?: string;
  portalUrl: string;
}

// The portal's default GITHUB_WEBHOOK_SECRET, so `npm run dev` works without configuration.
const PORTAL_WEBHOOK_SECRET = "sandbox-webhook-secret";

/**
 * Starts the GitHub stand-in for `startSandbox`: data under `${stateDir}/github`
 * when state is kept (a temp dir otherwise), and webhooks to the portal's
 * `/api/webhooks/github` endpoint. The server is pushed onto `servers` so the
 * sandbox's close() stops it.
 */
export async function startSandboxGitHub(
  o: WiringOptions,
  servers: Server[],
  url: (port: number) => string,
  given: Pick<SandboxOptions, "githubPort" | "dexPort" | "litellmPort" | "vllmPort"> = {},
): Promise<{ url: string; info: SandboxGitHub }> {
  const dataDir = o.githubDataDir ?? (o.stateDir ? join(o.stateDir, "github") : undefined);
  // Callers that ask for ephemeral ports everywhere (tests written before this server
  // existed) get an ephemeral one here too, instead of colliding on 3900.
  const allEphemeral = given.dexPort === 0 && given.litellmPort === 0 && given.vllmPort === 0;
  const port = given.githubPort ?? (allEphemeral ? 0 : o.githubPort);
  const gh = await createGitHubServer({
    dataDir,
    webhooks: [{ url: `${o.portalUrl.replace(/\/$/, "")}/api/webhooks/github`, secret: PORTAL_WEBHOOK_SECRET }],
  });
  servers.push(gh.server);
  const githubUrl = url(await listen(gh.server, port, o.host));
  const { control } = gh;
  return { url: githubUrl, info: { token: control.token, owner: control.owner, repo: control.repo, repoPath: gh.repoPath, control } };
}
