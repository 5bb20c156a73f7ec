import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/**
 * Child-process plumbing for the real Prometheus: a free port, a stale instance left by a
 * killed sandbox (its TSDB lock would make the next start fail), and no orphan on exit.
 */

export const PROMETHEUS_BINARY = process.env.SANDBOX_PROMETHEUS_BIN ?? "/usr/bin/prometheus";
export const PROMTOOL_BINARY = process.env.SANDBOX_PROMTOOL_BIN ?? "/usr/bin/promtool";

export function assertBinary(binary: string): void {
  if (!existsSync(binary)) {
    throw new Error(
      `Prometheus binary not found at ${binary}: install it (apt-get install prometheus, or npm run test:install) ` +
        `or start the sandbox with SANDBOX_PROMETHEUS=0`,
    );
  }
}

/** Binds 127.0.0.1:0, reads the port and releases it; Prometheus cannot report its own port. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Kills a Prometheus a previous sandbox left on this data dir (recorded in its pid file). */
export function killStale(pidFile: string, dataDir: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    // Only a prometheus on this very data dir: the pid may have been reused by anything.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (!cmdline[0]?.endsWith("prometheus") || !cmdline.some((a) => a.includes(dataDir))) return;
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A synchronous kill on exit: the last chance not to leave a Prometheus behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export interface SpawnedPrometheus {
  child: ChildProcess;
  logPath: string;
  /** False once the process exited or could not be started. */
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnPrometheus(binary: string, args: string[], dataDir: string): SpawnedPrometheus {
  const logPath = path.join(dataDir, "prometheus.log");
  const pidFile = path.join(dataDir, "prometheus.pid");
  const log = openSync(logPath, "a");
  const child = spawn(binary, args, { stdio: ["ignore", log, log] });
  closeSync(log);
  if (child.pid) writeFileSync(pidFile, String(child.pid));
  running.add(child);
  installExitHook();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
    running.delete(child);
    rmSync(pidFile, { force: true });
  });
  return {
    child,
    logPath,
    isRunning: () => alive,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}

/** The last lines of the log, for an error that says why Prometheus did not come up. */
export function logTail(logPath: string, lines = 8): string {
  try {
    return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
