import { z } from "zod";

const csv = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));

const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));
const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting of the portal. Defaults are the embedded setup (PGlite under .data/, the
 * sandbox's Dex and LiteLLM on localhost); a real deployment overrides them. Unknown values
 * fail the boot with one message naming each bad variable, never at the first request.
 */
export const envSchema = z.object({
  PORTAL_URL: url.default("http://localhost:3000"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  DEX_ISSUER: url.default("http://localhost:5556/dex"),
  DEX_CLIENT_ID: z.string().min(1).default("inference-portal"),
  DEX_CLIENT_SECRET: z.string().min(1).default("sandbox-portal-secret"),
  PLATFORM_ADMIN_GROUPS: csv.default(["platform-admins"]),
  FINANCE_GROUPS: csv.default(["finance"]),
  LITELLM_URL: url.default("http://localhost:4000"),
  LITELLM_PUBLIC_URL: url.optional(),
  LITELLM_MASTER_KEY: z.string().min(1).default("sk-sandbox-master"),
  LITELLM_TIMEOUT_MS: positiveInt.max(60_000).default(5_000),
  GITHUB_API_URL: url.default("http://localhost:3900"),
  GITHUB_OWNER: z.string().regex(/^[\w.-]+$/, "must be a GitHub owner name").default("platform"),
  GITHUB_REPO: z.string().regex(/^[\w.-]+$/, "must be a GitHub repository name").default("platform-gitops"),
  GITHUB_BASE_BRANCH: z.string().min(1).default("main"),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_APP_ID: z.string().regex(/^\d+$/, "must be the numeric App id").optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
  GITHUB_APP_INSTALLATION_ID: z.coerce.number().int().positive().optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").default("sandbox-webhook-secret"),
  GITHUB_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
  ARGOCD_NAMESPACE: z.string().min(1).default("argocd"),
  KUBECONFIG: z.string().min(1).optional(),
  KUBE_TIMEOUT_MS: positiveInt.max(60_000).default(5_000),
  RECONCILE_INTERVAL_MS: positiveInt.default(3_000),
  WORKER_MODE: z.enum(["embedded", "off"]).default("embedded"),
  WORKER_POLL_MS: positiveInt.default(1_000),
  // Benchmarks run in the worker, one at a time per process, and each owns that process's event
  // loop while it runs (a busy loop would show up as client latency). Run them in ONE dedicated
  // worker: BENCHMARK_WORKER=0 on every other replica (portal and workers) keeps them out.
  BENCHMARK_WORKER: z.enum(["0", "1"], { message: "must be 0 or 1" }).default("1").transform((v) => v === "1"),
  BOOTSTRAP_TENANTS_FILE: z.string().min(1).optional(),
  PROMETHEUS_URL: url.default("http://localhost:9090"),
  // Sent as a bearer token to Prometheus (or the auth proxy in front of it); never logged.
  PROMETHEUS_BEARER_TOKEN: z.string().min(1).optional(),
  // Below Prometheus's own 2-minute default so the portal gives up (and says so) first; also sent
  // as `timeout=` so Prometheus stops evaluating what nobody waits for any more.
  PROMETHEUS_TIMEOUT_MS: positiveInt.max(119_000, "must stay below Prometheus's 2-minute query timeout").default(10_000),
  // Dashboards never ask for a step finer than this (points between scrapes would be invented).
  PROMETHEUS_SCRAPE_INTERVAL_SECONDS: positiveInt.max(3600).default(15),
  // Costs: one currency for every amount the portal shows (OpenCost and LiteLLM must be priced
  // in it too; the portal never converts), and how idle GPU cost is shared (OpenCost shareIdle /
  // idleByNode): not at all, proportionally to allocation, or within each node.
  COST_CURRENCY: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code like USD").default("USD"),
  COST_IDLE_SHARING: z.enum(["none", "proportional", "by-node"]).default("none"),
  // Budget alerts go to this webhook (Slack-compatible), signed with the secret; unset = recorded only.
  BUDGET_ALERT_WEBHOOK_URL: url.optional(),
  BUDGET_ALERT_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  // OpenCost's API base (e.g. http://opencost.opencost:9003). Unset = no infrastructure costs:
  // opencostFromEnv() returns null and cost pages say OpenCost is not configured.
  OPENCOST_URL: url.optional(),
  OPENCOST_TIMEOUT_MS: positiveInt.max(120_000).default(30_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  METRICS_BEARER_TOKEN: z.string().min(16).optional(),
});

// GitHub credentials: a token, or all three GitHub App settings (the App wins when both).
const withGitHubAuth = envSchema.superRefine((value, ctx) => {
  const app = [value.GITHUB_APP_ID, value.GITHUB_APP_PRIVATE_KEY, value.GITHUB_APP_INSTALLATION_ID];
  if (app.some(Boolean) && !app.every(Boolean)) {
    ctx.addIssue({ code: "custom", path: ["GITHUB_APP_ID"], message: "GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID go together" });
  }
});

export type Env = z.infer<typeof envSchema> & { LITELLM_PUBLIC_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Empty strings from `.env` files or CI mean "unset", not "invalid".
function withoutEmpty(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = withGitHubAuth.safeParse(withoutEmpty(source));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return { ...result.data, LITELLM_PUBLIC_URL: result.data.LITELLM_PUBLIC_URL ?? result.data.LITELLM_URL };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
