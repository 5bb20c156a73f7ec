// Runs the standalone server that `next build` produced, the same way the Docker image does.
// Next leaves static assets outside the standalone folder; they are copied next to it first.
import { cpSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";

const standalone = ".next/standalone";
if (!existsSync(`${standalone}/server.js`)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
if (existsSync("public")) cpSync("public", `${standalone}/public`, { recursive: true });
cpSync("prisma/migrations", `${standalone}/prisma/migrations`, { recursive: true });
cpSync("gitops-templates", `${standalone}/gitops-templates`, { recursive: true });

// PORTAL_CPU_PROF=dir writes a V8 CPU profile of the server there on exit (for benchmarks).
const profile = process.env.PORTAL_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PORTAL_CPU_PROF}`] : [];
const child = spawn(process.execPath, [...profile, "server.js"], {
  cwd: standalone,
  stdio: "inherit",
  env: { HOSTNAME: "0.0.0.0", ...process.env, DATA_DIR: process.env.DATA_DIR ?? `${process.cwd()}/.data` },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
