/**
 * `npm run dev`: the whole platform twin on one machine. Starts the sandbox (Dex, LiteLLM,
 * model server) and the portal (embedded PGlite unless DATABASE_URL is set), prints where to
 * go and who to sign in as, and stops both together.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { DEMO_USERS } from "../sandbox/demo-users";
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
async function shutdown(code: number) {
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3_000).unref();
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on("exit", r)))));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const bin = (name: string) => path.join("node_modules", ".bin", name);

const sandboxDir = process.env.SANDBOX_STATE_DIR ?? path.join(process.env.DATA_DIR ?? ".data", "sandbox");
run("sandbox", bin("tsx"), ["sandbox/main.ts"], { SANDBOX_PORTAL_URL: portalUrl, SANDBOX_STATE_DIR: sandboxDir });
await waitFor(["http://localhost:5556/dex/.well-known/openid-configuration", "http://localhost:4000/health/liveliness", "http://localhost:3900/_sandbox/faults"]);

const tenantsFile = process.env.BOOTSTRAP_TENANTS_FILE ?? "sandbox/demo-tenants.json";
// The demo tenants exist in the platform repo too, so their deployments are tracked by Argo CD.
await seedPlatformRepo({ tenantsFile });
const portalEnv = {
  PORT: port,
  PORTAL_URL: portalUrl,
  BOOTSTRAP_TENANTS_FILE: tenantsFile,
  KUBECONFIG: process.env.KUBECONFIG ?? path.resolve(sandboxDir, "kubeconfig"),
};
if (mode === "prod") run("portal", process.execPath, ["scripts/start.mjs"], portalEnv);
else run("portal", bin("next"), ["dev", "--port", port], portalEnv);
await waitFor([`${portalUrl}/api/health`], 180_000);

const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
console.log(`
  Inference Portal is running: ${portalUrl}
  Database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite under .data/"}
  Sandbox: Dex http://localhost:5556/dex · LiteLLM http://localhost:4000 · model server http://localhost:8000
           GitHub http://localhost:3900 (platform/platform-gitops) · Kubernetes API http://localhost:6443

  Demo accounts (sign in on the Dex page):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.password.padEnd(16)}  ${u.description}`).join("\n")}

  Press Ctrl+C to stop everything.
`);
