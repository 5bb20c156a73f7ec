import { env } from "@/lib/config/env";
import type { GitHubConfig } from "./octokit";

// Without a token or App, the sandbox's token is used (the embedded default setup).
const SANDBOX_TOKEN = "ghs_sandbox_token";

export function githubConfigFromEnv(): GitHubConfig {
  const config = env();
  const auth =
    config.GITHUB_APP_ID && config.GITHUB_APP_PRIVATE_KEY && config.GITHUB_APP_INSTALLATION_ID
      ? { kind: "app" as const, appId: config.GITHUB_APP_ID, privateKey: config.GITHUB_APP_PRIVATE_KEY.replaceAll("\\n", "\n"), installationId: config.GITHUB_APP_INSTALLATION_ID }
      : { kind: "token" as const, token: config.GITHUB_TOKEN ?? SANDBOX_TOKEN };
  return {
    baseUrl: config.GITHUB_API_URL,
    owner: config.GITHUB_OWNER,
    repo: config.GITHUB_REPO,
    baseBranch: config.GITHUB_BASE_BRANCH,
    auth,
    timeoutMs: config.GITHUB_TIMEOUT_MS,
  };
}
