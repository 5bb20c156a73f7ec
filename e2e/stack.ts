/**
 * The system under test for Playwright: the sandbox (in this process) and the built portal's
 * standalone server (a child process), on a fresh database every run — a new PostgreSQL
 * database when DATABASE_URL is set (CI), a new PGlite directory otherwise.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startSandbox } from "../sandbox/start";
import { E2E } from "./env";
import { seedPlatformRepo } from "../scripts/seed-platform-repo";

async function freshPostgres(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portal_e2e_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const dataDir = mkdtempSync(path.join(tmpdir(), "portal-e2e-"));
const database = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : undefined;
// This process opens the portal's database too (cost seeding below): point the portal's config at
// the fresh database before anything reads (and caches) it.
process.env.DATABASE_URL = database?.url ?? "";
process.env.DATA_DIR = dataDir;

const sandbox = await startSandbox({
  dexPort: E2E.dexPort,
  litellmPort: E2E.litellmPort,
  vllmPort: E2E.vllmPort,
  portalUrl: E2E.portalUrl,
  litellmMasterKey: E2E.masterKey,
  githubPort: E2E.githubPort,
  kubePort: E2E.kubePort,
  githubDataDir: mkdtempSync(path.join(tmpdir(), "portal-e2e-github-")),
  // The fleet behind the dashboards: the real Prometheus scraping it every 2 s, KEDA, replicas
  // that load in 1.5 s. A kept data dir lets the outage journey stop and restart Prometheus.
  prometheus: true,
  prometheusPort: E2E.prometheusPort,
  prometheusDataDir: mkdtempSync(path.join(tmpdir(), "portal-e2e-prometheus-")),
  scrapeIntervalSeconds: 2,
  modelLoadMs: 1_500,
  // The dashboards benchmark asks for a day of synthetic history behind the live data.
  prometheusBackfillHours: Number(process.env.E2E_PROMETHEUS_BACKFILL_HOURS ?? 0),
});
const tenantsFile = path.resolve("sandbox/demo-tenants.json");
await seedPlatformRepo({
  tenantsFile,
  withDeployments: true,
  github: {
    baseUrl: sandbox.urls.github,
    owner: sandbox.github.owner,
    repo: sandbox.github.repo,
    baseBranch: "main",
    auth: { kind: "token", token: sandbox.github.token },
    timeoutMs: 10_000,
  },
});

// Known cost history (issue 5): the OpenCost scenario for last and this month, stored through the
// real snapshot job into the portal's database before the portal opens it (PGlite allows one
// process at a time). Tenants are bootstrapped first, as the portal would.
{
  process.env.LITELLM_URL = sandbox.urls.litellm;
  process.env.LITELLM_MASTER_KEY = E2E.masterKey;
  const { getDb, closeDb } = await import("../lib/db/client");
  const { bootstrapTenants } = await import("../lib/tenants/bootstrap-tenants");
  const { seedCostDemo } = await import("../scripts/seed-cost-demo");
  const db = await getDb();
  await bootstrapTenants(db, tenantsFile);
  await seedCostDemo({ db, opencostUrl: sandbox.urls.opencost, litellmUrl: sandbox.urls.litellm, litellmMasterKey: E2E.masterKey });
  await closeDb();
}

const portal = spawn(process.execPath, ["scripts/start.mjs"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PORT: String(E2E.portalPort),
    HOSTNAME: "127.0.0.1",
    PORTAL_URL: E2E.portalUrl,
    DEX_ISSUER: sandbox.urls.dexIssuer,
    LITELLM_URL: sandbox.urls.litellm,
    LITELLM_MASTER_KEY: E2E.masterKey,
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? "",
    BOOTSTRAP_TENANTS_FILE: tenantsFile,
    GITHUB_API_URL: sandbox.urls.github,
    GITHUB_OWNER: sandbox.github.owner,
    GITHUB_REPO: sandbox.github.repo,
    GITHUB_TOKEN: sandbox.github.token,
    KUBECONFIG: sandbox.cluster.kubeconfigPath,
    PROMETHEUS_URL: sandbox.urls.prometheus ?? "",
    PROMETHEUS_SCRAPE_INTERVAL_SECONDS: "2",
    PROMETHEUS_TIMEOUT_MS: "5000",
    OPENCOST_URL: sandbox.urls.opencost,
    RECONCILE_INTERVAL_MS: "500",
    WORKER_POLL_MS: "200",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  },
});

// Test-only control: an outage of Prometheus on demand, for the journey that checks the pages
// degrade panel by panel.
const control = createServer((req, res) => {
  const act = async () => {
    if (req.method === "POST" && req.url === "/prometheus/stop") await sandbox.telemetry!.stopPrometheus();
    else if (req.method === "POST" && req.url === "/prometheus/start") await sandbox.telemetry!.startPrometheus();
    else return void res.writeHead(404).end();
    res.writeHead(200).end("ok");
  };
  act().catch((err: unknown) => res.writeHead(500).end(String(err)));
});
control.listen(E2E.controlPort, "127.0.0.1");

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  control.close();
  portal.kill("SIGTERM");
  await new Promise((r) => (portal.exitCode !== null ? r(null) : portal.once("exit", r)));
  await sandbox.close();
  await database?.drop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
portal.on("exit", (code) => void stop(code ?? 1));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
