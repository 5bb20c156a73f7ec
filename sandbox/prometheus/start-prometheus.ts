import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { jobSpecFor, KNOWN_JOBS, renderPrometheusConfig } from "./config";
import { writeTargetFiles } from "./file-sd";
import { assertBinary, freePort, killStale, logTail, PROMETHEUS_BINARY, spawnPrometheus, type SpawnedPrometheus } from "./process";
import type { OnTargetsChanged, ScrapeTarget } from "./scrape-target";

export interface PrometheusOptions {
  /** 0 picks a free port (bound, read and released before Prometheus binds it). */
  port?: number;
  host?: string;
  /** Host name in the returned URL. */
  publicHost?: string;
  /**
   * Config, target files, TSDB and log. Kept across restarts when given (dev: history survives);
   * a temp dir removed on stop otherwise.
   */
  dataDir?: string;
  /** Scrape and rule-evaluation interval; 5 s in the sandbox (15–30 s is usual in production). */
  scrapeIntervalSeconds?: number;
  /** `--storage.tsdb.retention.time`, e.g. "15d". */
  retention?: string;
  targets: () => readonly ScrapeTarget[];
  onTargetsChanged?: OnTargetsChanged;
  binary?: string;
  readyTimeoutMs?: number;
}

export interface SandboxPrometheus {
  url: string;
  port: number;
  dataDir: string;
  configPath: string;
  /** Prometheus's own log (kept out of the sandbox's stdout). */
  logPath: string;
  pid: number | undefined;
  /** Rewrites the target files now (also done on every onTargetsChanged). */
  refreshTargets(): Promise<void>;
  stop(): Promise<void>;
}

export const SANDBOX_SCRAPE_INTERVAL_SECONDS = 5;

/** Starts the real Prometheus on a generated config and waits until it reports ready. */
export async function startPrometheus(options: PrometheusOptions): Promise<SandboxPrometheus> {
  const binary = options.binary ?? PROMETHEUS_BINARY;
  assertBinary(binary);
  const host = options.host ?? "127.0.0.1";
  const ownDir = options.dataDir === undefined;
  const dataDir = path.resolve(options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "sandbox-prometheus-"))));
  const sdDir = path.join(dataDir, "targets");
  const configPath = path.join(dataDir, "prometheus.yml");
  await mkdir(sdDir, { recursive: true });
  killStale(path.join(dataDir, "prometheus.pid"), dataDir);

  const interval = options.scrapeIntervalSeconds ?? SANDBOX_SCRAPE_INTERVAL_SECONDS;
  let jobs = jobNames(options.targets());
  const writeConfig = () => writeFile(configPath, renderPrometheusConfig({ jobs: jobs.map(jobSpecFor), sdDir, scrapeIntervalSeconds: interval }));
  await writeConfig();
  await writeTargetFiles(sdDir, jobs, options.targets());

  let port = options.port ?? 0;
  let spawned: SpawnedPrometheus | undefined;
  for (let attempt = 0; ; attempt++) {
    const listenPort = port || (await freePort(host));
    const args = [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${path.join(dataDir, "data")}`,
      `--storage.tsdb.retention.time=${options.retention ?? "15d"}`,
      `--web.listen-address=${host}:${listenPort}`,
      "--web.enable-lifecycle",
      "--query.timeout=30s",
    ];
    spawned = spawnPrometheus(binary, args, dataDir);
    const ready = await waitReady(`http://${host}:${listenPort}`, spawned, options.readyTimeoutMs ?? 30_000);
    if (ready === "ready") {
      port = listenPort;
      break;
    }
    await spawned.stop(0);
    // Another process took the port between our probe and Prometheus's bind: pick again once.
    if (ready === "exited" && !port && attempt === 0 && /address already in use/.test(logTail(spawned.logPath, 20))) continue;
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`Prometheus did not become ready (${ready}); log ${spawned.logPath}:\n${logTail(spawned.logPath)}`);
  }
  const child = spawned;
  const localUrl = `http://${host}:${port}`;

  // Coalesced, serialized rewrites: a burst of fleet changes becomes one write.
  let pending: Promise<void> = Promise.resolve();
  let queued = false;
  const refreshTargets = (): Promise<void> => {
    if (queued) return pending;
    queued = true;
    pending = pending.then(async () => {
      queued = false;
      const targets = options.targets();
      const next = jobNames(targets, jobs);
      if (next.length !== jobs.length) {
        jobs = next;
        await writeConfig();
        await writeTargetFiles(sdDir, jobs, targets);
        await fetch(`${localUrl}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      } else {
        await writeTargetFiles(sdDir, jobs, targets);
      }
    }).catch((err: unknown) => console.error("prometheus: could not write scrape targets:", err));
    return pending;
  };
  const unsubscribe = options.onTargetsChanged?.(() => void refreshTargets());

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${options.publicHost ?? host}:${port}`,
    port,
    dataDir,
    configPath,
    logPath: child.logPath,
    pid: child.child.pid,
    refreshTargets,
    stop: () =>
      (stopped ??= (async () => {
        unsubscribe?.();
        await pending;
        await child.stop();
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
      })()),
  };
}

/** Known jobs always (so their files exist), plus any other job a target names. */
function jobNames(targets: readonly ScrapeTarget[], current: readonly string[] = KNOWN_JOBS.map((j) => j.name)): string[] {
  const names = new Set(current);
  for (const t of targets) names.add(t.job);
  return [...names];
}

async function waitReady(url: string, spawned: SpawnedPrometheus, timeoutMs: number): Promise<"ready" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!spawned.isRunning()) return "exited";
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return "ready";
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return "timeout";
}
