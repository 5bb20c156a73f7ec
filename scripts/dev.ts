/**
 * `npm run dev`: the whole platform twin on one machine. Starts the sandbox (Dex, LiteLLM,
 * model server, GPU fleet, Prometheus, KEDA) and the portal (embedded PGlite unless DATABASE_URL
 * is set), seeds the demo tenants and their model deployments, starts a light background load
 * (SANDBOX_LOAD=0 to skip), prints where to go and who to sign in as, and stops all together.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { SANDBOX_DEFAULTS } from "../sandbox/config";
import { PROMETHEUS_BINARY } from "../sandbox/prometheus/process";
import { DEMO_USERS } from "../sandbox/demo-users";
import { startBackgroundLoad, type BackgroundLoad } from "../sandbox/load/background";
import { waitFor } from "./wait-for";
import { seedPlatformRepo } from "./seed-platform-repo";

const mode = process.argv.includes("--prod") ? "prod" : "dev";
const port = process.env.PORT ?? "3000";
const portalUrl = process.env.PORTAL_URL ?? `http://localhost:${port}`;
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`\n${name} exited (${signal ?? code}); stopping.`);
      void shutdown(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let shuttingDown = false;
let backgroundLoad: BackgroundLoad | undefined;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await backgroundLoad?.stop().catch(() => undefined);
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3_000).unref();
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on("exit", r)))));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const bin = (name: string) => path.join("node_modules", ".bin", name);

const sandboxDir = process.env.SANDBOX_STATE_DIR ?? path.join(process.env.DATA_DIR ?? ".data", "sandbox");
// The sandbox runs Prometheus when it is installed (or when asked to); without it the portal still starts.
const prometheusOn =
  process.env.SANDBOX_PROMETHEUS === undefined ? existsSync(PROMETHEUS_BINARY) : !["0", "false"].includes(process.env.SANDBOX_PROMETHEUS);
const prometheusUrl = `http://localhost:${process.env.SANDBOX_PROMETHEUS_PORT ?? SANDBOX_DEFAULTS.prometheusPort}`;
const opencostUrl = `http://localhost:${process.env.SANDBOX_OPENCOST_PORT ?? 9003}`;
run("sandbox", bin("tsx"), ["sandbox/main.ts"], {
  SANDBOX_PORTAL_URL: portalUrl,
  SANDBOX_STATE_DIR: sandboxDir,
  // A day of synthetic history for the 24 h dashboards, once per state dir.
  SANDBOX_PROMETHEUS_BACKFILL_HOURS: process.env.SANDBOX_PROMETHEUS_BACKFILL_HOURS ?? "24",
});
await waitFor([
  "http://localhost:5556/dex/.well-known/openid-configuration",
  "http://localhost:4000/health/liveliness",
  "http://localhost:3900/_sandbox/faults",
  `${opencostUrl}/healthz`,
  ...(prometheusOn ? [`${prometheusUrl}/-/ready`] : []),
]);

const tenantsFile = process.env.BOOTSTRAP_TENANTS_FILE ?? "sandbox/demo-tenants.json";
// The demo tenants exist in the platform repo too, so their deployments are tracked by Argo CD;
// their demo model deployments give the fleet, Prometheus and the dashboards something to show.
await seedPlatformRepo({ tenantsFile, withDeployments: true });
// Known cost history for the Costs pages (OpenCost's scripted scenario for last and this month),
// stored through the real snapshot job before the portal opens the database (PGlite allows one
// process). SANDBOX_COST_DEMO=0 keeps only what the live cluster records.
if (process.env.SANDBOX_COST_DEMO !== "0") {
  const { getDb, closeDb } = await import("../lib/db/client");
  const { bootstrapTenants } = await import("../lib/tenants/bootstrap-tenants");
  const { seedCostDemo } = await import("./seed-cost-demo");
  const db = await getDb();
  await bootstrapTenants(db, tenantsFile);
  await seedCostDemo({ db, opencostUrl, litellmUrl: "http://localhost:4000" });
  await closeDb();
}
const portalEnv = {
  PORT: port,
  PORTAL_URL: portalUrl,
  BOOTSTRAP_TENANTS_FILE: tenantsFile,
  KUBECONFIG: process.env.KUBECONFIG ?? path.resolve(sandboxDir, "kubeconfig"),
  PROMETHEUS_URL: process.env.PROMETHEUS_URL ?? prometheusUrl,
  OPENCOST_URL: process.env.OPENCOST_URL ?? opencostUrl,
};
if (mode === "prod") run("portal", process.execPath, ["scripts/start.mjs"], portalEnv);
else run("portal", bin("next"), ["dev", "--port", port], portalEnv);
await waitFor([`${portalUrl}/api/health`], 180_000);

// Light traffic on every demo deployment, in slow waves; starts once the portal has synced the
// tenants' LiteLLM teams (it retries until then).
if (process.env.SANDBOX_LOAD !== "0") {
  const demo = z.array(z.looseObject({ slug: z.string(), displayName: z.string(), demoDeployments: z.array(z.looseObject({ model: z.string() })).optional() }));
  const tenants = demo.parse(JSON.parse(await readFile(tenantsFile, "utf8")));
  backgroundLoad = startBackgroundLoad({
    litellmUrl: "http://localhost:4000",
    masterKey: process.env.SANDBOX_LITELLM_MASTER_KEY ?? SANDBOX_DEFAULTS.litellmMasterKey,
    deployments: tenants.flatMap((t) => (t.demoDeployments ?? []).map((d) => ({ tenant: { slug: t.slug, displayName: t.displayName }, model: d.model }))),
    // Raise the crest (e.g. SANDBOX_LOAD_PEAK=400) to make queues build and KEDA scale out.
    baseConcurrency: Number(process.env.SANDBOX_LOAD_BASE ?? 2) || 2,
    peakConcurrency: Number(process.env.SANDBOX_LOAD_PEAK ?? 12) || 12,
    log: (line) => console.log(`  ${line}`),
  });
}

const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
console.log(`
  Inference Portal is running: ${portalUrl}
  Database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite under ${process.env.DATA_DIR ?? ".data"}/`}
  Sandbox: Dex http://localhost:5556/dex · LiteLLM http://localhost:4000 · model server http://localhost:8000
           GitHub http://localhost:3900 (platform/platform-gitops) · Kubernetes API http://localhost:6443
           Prometheus ${prometheusOn ? prometheusUrl : "off (SANDBOX_PROMETHEUS=0)"} · OpenCost ${opencostUrl} · background load ${process.env.SANDBOX_LOAD === "0" ? "off" : "on (SANDBOX_LOAD=0 to skip)"}
           More traffic: npm run load -- --tenant acme --model qwen2.5-0.5b-instruct --concurrency 64 --duration 5m

  Demo accounts (sign in on the Dex page):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.password.padEnd(16)}  ${u.description}`).join("\n")}

  Press Ctrl+C to stop everything.
`);
