import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { metrics } from "@/lib/observability/metrics";

export type GitHubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string; privateKey: string; installationId: number };

export type GitHubConfig = {
  baseUrl: string;
  owner: string;
  repo: string;
  baseBranch: string;
  auth: GitHubAuth;
  timeoutMs: number;
};

const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_S = 10;

function retryDelayMs(error: { status?: number; response?: { headers?: Record<string, string | number | undefined> } }, attempt: number) {
  const header = error.response?.headers?.["retry-after"];
  const seconds = header === undefined ? NaN : Number(header);
  if (Number.isFinite(seconds)) return Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
  return 200 * 2 ** attempt;
}

/**
 * GitHub answers 5xx when it is having a bad day and 429 (or 403 with an exhausted rate limit)
 * when we are too fast: those are retried, honouring Retry-After. Any other 4xx is a real
 * answer (validation, conflict, not mergeable) and is never retried.
 */
function retriable(error: { status?: number; response?: { headers?: Record<string, string | number | undefined> } }): boolean {
  const status = error.status ?? 0;
  if (status >= 500 || status === 429) return true;
  return status === 403 && String(error.response?.headers?.["x-ratelimit-remaining"]) === "0";
}

export function createOctokit(config: GitHubConfig): Octokit {
  // Every call gets a deadline; a hung GitHub must not hold a request or a worker forever.
  const timedFetch: typeof fetch = (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs) });
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const octokit =
    config.auth.kind === "app"
      ? new Octokit({
          baseUrl: config.baseUrl,
          authStrategy: createAppAuth,
          auth: { appId: config.auth.appId, privateKey: config.auth.privateKey, installationId: config.auth.installationId },
          request: { fetch: timedFetch },
          log: silent,
        })
      : new Octokit({
          baseUrl: config.baseUrl,
          auth: config.auth.token,
          request: { fetch: timedFetch },
          log: silent,
        });

  octokit.hook.wrap("request", async (request, options) => {
    const operation = `${options.method} ${options.url}`;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const response = await request(options);
        metrics().integrationDuration.observe({ system: "github", operation, outcome: "ok" }, (performance.now() - started) / 1000);
        return response;
      } catch (error) {
        const e = error as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
        metrics().integrationDuration.observe({ system: "github", operation, outcome: "error" }, (performance.now() - started) / 1000);
        metrics().integrationErrors.inc({ system: "github", operation, reason: `http_${e.status ?? "network"}` });
        if (attempt + 1 >= MAX_ATTEMPTS || !retriable(e)) throw error;
        await new Promise((r) => setTimeout(r, retryDelayMs(e, attempt)));
      }
    }
  });
  return octokit;
}
