import { existsSync } from "node:fs";
import { z } from "zod";
import { PROMETHEUS_BINARY } from "./prometheus/process";

export const SANDBOX_DEFAULTS = {
  host: "127.0.0.1",
  publicHost: "localhost",
  dexPort: 5556,
  litellmPort: 4000,
  vllmPort: 8000,
  githubPort: 3900,
  kubePort: 6443,
  portalUrl: "http://localhost:3000",
  dexClientId: "inference-portal",
  dexClientSecret: "sandbox-portal-secret",
  litellmMasterKey: "sk-sandbox-master",
  prometheusPort: 9090,
  /** Seconds; production scrapes every 15–30 s, the sandbox faster so dashboards move. */
  scrapeIntervalSeconds: 5,
  prometheusRetention: "15d",
  kedaTimeScale: 1,
  prometheus: false,
  /** 0 (a free port) for library callers such as tests; `npm run dev` uses OpenCost's own 9003. */
  opencostPort: 0,
} as const;

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  SANDBOX_HOST: z.string().min(1).optional(),
  SANDBOX_DEX_PORT: port.optional(),
  SANDBOX_LITELLM_PORT: port.optional(),
  SANDBOX_VLLM_PORT: port.optional(),
  SANDBOX_GITHUB_PORT: port.optional(),
  SANDBOX_GITHUB_DIR: z.string().min(1).optional(),
  SANDBOX_KUBE_PORT: port.optional(),
  SANDBOX_OPENCOST_PORT: port.optional(),
  SANDBOX_KUBE_TOKEN: z.string().min(1).optional(),
  SANDBOX_KUBECONFIG: z.string().min(1).optional(),
  SANDBOX_PORTAL_URL: z.url().optional(),
  SANDBOX_DEX_CLIENT_ID: z.string().min(1).optional(),
  SANDBOX_DEX_CLIENT_SECRET: z.string().min(1).optional(),
  SANDBOX_LITELLM_MASTER_KEY: z.string().min(1).optional(),
  SANDBOX_VLLM_URL: z.url().optional(),
  SANDBOX_STATE_DIR: z.string().min(1).optional(),
  SANDBOX_TOKEN_DELAY_MS: z.coerce.number().min(0).optional(),
  SANDBOX_PROMETHEUS: z.enum(["0", "1", "false", "true"]).optional(),
  SANDBOX_PROMETHEUS_PORT: port.optional(),
  SANDBOX_PROMETHEUS_DIR: z.string().min(1).optional(),
  SANDBOX_PROMETHEUS_RETENTION: z.string().regex(/^\d+[smhdwy]$/).optional(),
  SANDBOX_SCRAPE_INTERVAL: z.coerce.number().int().min(1).max(300).optional(),
  SANDBOX_KEDA_TIME_SCALE: z.coerce.number().positive().max(10).optional(),
  SANDBOX_PROMETHEUS_BACKFILL_HOURS: z.coerce.number().min(0).max(24 * 30).optional(),
  SANDBOX_MODEL_LOAD_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
});

export interface SandboxOptions {
  /** Interface to bind; loopback by default since demo credentials are public. */
  host?: string;
  /** Host name used in the URLs handed out (the Dex issuer must match what clients use). */
  publicHost?: string;
  /** 0 picks a free port; the actual URL is returned. */
  dexPort?: number;
  litellmPort?: number;
  vllmPort?: number;
  githubPort?: number;
  /** Bare repository + PR metadata of the GitHub stand-in; `${stateDir}/github` or a temp dir when unset. */
  githubDataDir?: string;
  /** OpenCost allocation API stand-in; 0 picks a free port. */
  opencostPort?: number;
  /** Kubernetes API stand-in (Argo CD Applications + applied objects). */
  kubePort?: number;
  /** Bearer token of the kubeconfig; default `sandbox-kube-token`. */
  kubeToken?: string;
  /** Where the kubeconfig is written; `${stateDir}/kubeconfig` or a temp dir when unset. */
  kubeconfigPath?: string;
  portalUrl?: string;
  dexClientId?: string;
  dexClientSecret?: string;
  litellmMasterKey?: string;
  /** Model server LiteLLM forwards to; defaults to the simulator started alongside. */
  vllmUrl?: string;
  /** Directory for the LiteLLM stand-in's state file; in memory only when unset. */
  stateDir?: string;
  /**
   * Constant simulated time per generated token, ignoring load. Unset (the default), each model
   * runs on its GPU serving profile with continuous-batching physics.
   */
  tokenDelayMs?: number;
  /**
   * Run the real Prometheus (and the KEDA stand-in, which reads it). Off by default so tests
   * that do not query metrics do not pay for a child process; `npm run sandbox`/`npm run dev`
   * turn it on (SANDBOX_PROMETHEUS=0 to skip).
   */
  prometheus?: boolean;
  /** 0 picks a free port; default 9090. */
  prometheusPort?: number;
  /** TSDB, config and log; `${stateDir}/prometheus` when state is kept (history survives restarts), a temp dir otherwise. */
  prometheusDataDir?: string;
  prometheusRetention?: string;
  /** Scrape and evaluation interval in seconds; default 5. */
  scrapeIntervalSeconds?: number;
  /** Multiplies KEDA's pollingInterval, cooldownPeriod and HPA windows (0.1 = ten times faster). */
  kedaTimeScale?: number;
  /** Hours of synthetic history written into Prometheus once the fleet is scraped (0 = none, the default). */
  prometheusBackfillHours?: number;
  /** Time a new model replica takes to load before it is ready (the fleet's default when unset). */
  modelLoadMs?: number;
}

/** Reads SANDBOX_* variables; invalid values fail the start with a clear message. */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid sandbox environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.SANDBOX_HOST,
    dexPort: e.SANDBOX_DEX_PORT,
    litellmPort: e.SANDBOX_LITELLM_PORT,
    vllmPort: e.SANDBOX_VLLM_PORT,
    githubPort: e.SANDBOX_GITHUB_PORT,
    githubDataDir: e.SANDBOX_GITHUB_DIR,
    kubePort: e.SANDBOX_KUBE_PORT,
    opencostPort: e.SANDBOX_OPENCOST_PORT ?? 9003,
    kubeToken: e.SANDBOX_KUBE_TOKEN,
    kubeconfigPath: e.SANDBOX_KUBECONFIG,
    portalUrl: e.SANDBOX_PORTAL_URL,
    dexClientId: e.SANDBOX_DEX_CLIENT_ID,
    dexClientSecret: e.SANDBOX_DEX_CLIENT_SECRET,
    litellmMasterKey: e.SANDBOX_LITELLM_MASTER_KEY,
    vllmUrl: e.SANDBOX_VLLM_URL,
    stateDir: e.SANDBOX_STATE_DIR,
    tokenDelayMs: e.SANDBOX_TOKEN_DELAY_MS,
    // Unset: on when the Prometheus binary is installed, so a fresh machine still starts (the
    // dashboards then say Prometheus is unreachable and `npm run test:install` installs it).
    prometheus: e.SANDBOX_PROMETHEUS === undefined ? existsSync(PROMETHEUS_BINARY) : e.SANDBOX_PROMETHEUS === "1" || e.SANDBOX_PROMETHEUS === "true",
    prometheusPort: e.SANDBOX_PROMETHEUS_PORT,
    prometheusDataDir: e.SANDBOX_PROMETHEUS_DIR,
    prometheusRetention: e.SANDBOX_PROMETHEUS_RETENTION,
    scrapeIntervalSeconds: e.SANDBOX_SCRAPE_INTERVAL,
    kedaTimeScale: e.SANDBOX_KEDA_TIME_SCALE,
    modelLoadMs: e.SANDBOX_MODEL_LOAD_MS,
    prometheusBackfillHours: e.SANDBOX_PROMETHEUS_BACKFILL_HOURS,
  };
}
