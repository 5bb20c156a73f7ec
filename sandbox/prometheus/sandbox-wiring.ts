import path from "node:path";
import type { ClusterStore } from "../cluster/store";
import type { Fleet } from "../fleet/types";
import { startKeda, type KedaStandIn } from "../keda/keda";
import { backfillHistory } from "./backfill";
import type { ScrapeTarget } from "./scrape-target";
import { startPrometheus, type SandboxPrometheus } from "./start-prometheus";

/**
 * The telemetry half of `startSandbox`: the real Prometheus scraping the fleet (vLLM replicas,
 * DCGM exporters, kube-state-metrics, EPPs) and the KEDA operator, and the KEDA stand-in
 * scaling the fleet from it. Only the sandbox's own exporters are scraped, not the portal.
 */

export interface TelemetryOptions {
  host: string;
  publicHost: string;
  prometheusPort: number;
  prometheusDataDir?: string;
  stateDir?: string;
  prometheusRetention: string;
  scrapeIntervalSeconds: number;
  kedaTimeScale: number;
  /** Hours of synthetic history to write once the fleet is scraped; 0 = none. */
  prometheusBackfillHours?: number;
}

export interface SandboxTelemetry {
  /** The running Prometheus (replaced by `startPrometheus()` after a stop). */
  prometheus: SandboxPrometheus;
  keda: KedaStandIn;
  /**
   * Stops the Prometheus process, as an outage would; its data dir is kept. Needs a fixed
   * `prometheusPort` and a kept data dir (`prometheusDataDir` or `stateDir`) to come back.
   */
  stopPrometheus(): Promise<void>;
  /** Starts it again on the same port and data dir (KEDA reconnects by itself). */
  startPrometheus(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxTelemetry(o: TelemetryOptions, store: ClusterStore, fleet: Fleet): Promise<SandboxTelemetry> {
  let keda: KedaStandIn | undefined;
  const listeners = new Set<() => void>();
  const targets = (): ScrapeTarget[] => [...fleet.targets(), ...(keda ? [keda.target()] : [])];
  const unsubscribeFleet = fleet.onTargetsChanged(() => listeners.forEach((l) => l()));
  const wildcard = o.host === "0.0.0.0" || o.host === "::";
  let prometheus: SandboxPrometheus | undefined;
  const dataDir = o.prometheusDataDir ?? (o.stateDir ? path.join(o.stateDir, "prometheus") : undefined);
  const launch = (port: number) =>
    startPrometheus({
      port,
      host: o.host,
      publicHost: wildcard ? o.publicHost : o.host,
      dataDir,
      retention: o.prometheusRetention,
      scrapeIntervalSeconds: o.scrapeIntervalSeconds,
      targets,
      onTargetsChanged: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    });
  try {
    prometheus = await launch(o.prometheusPort);
    // KEDA talks to Prometheus over loopback whatever the public host is.
    keda = await startKeda({
      store,
      prometheusUrl: `http://${wildcard ? "127.0.0.1" : o.host}:${prometheus.port}`,
      driver: fleet,
      timeScale: o.kedaTimeScale,
      host: o.host,
      publicHost: wildcard ? o.publicHost : o.host,
    });
    await prometheus.refreshTargets();
  } catch (err) {
    unsubscribeFleet();
    await prometheus?.stop();
    throw err;
  }
  const closing = new AbortController();
  if (o.prometheusBackfillHours) void backfillWhenScraped(prometheus, o.prometheusBackfillHours, Date.now(), closing.signal);
  let running: SandboxPrometheus | undefined = prometheus;
  const telemetry: SandboxTelemetry = {
    prometheus,
    keda,
    stopPrometheus: async () => {
      if (!dataDir) throw new Error("stopPrometheus needs a kept data dir (prometheusDataDir or stateDir)");
      await running?.stop();
      running = undefined;
    },
    startPrometheus: async () => {
      if (running) return;
      running = await launch(telemetry.prometheus.port);
      telemetry.prometheus = running;
      await running.refreshTargets();
    },
    close: async () => {
      closing.abort();
      unsubscribeFleet();
      await telemetry.keda.close();
      await running?.stop();
      running = undefined;
    },
  };
  return telemetry;
}

/**
 * Waits until model replicas serve traffic (so counters have rates to copy back; the background
 * load of `npm run dev` provides it) — or 10 minutes — then writes the history ending a minute
 * before this Prometheus started, so it does not overlap live data.
 */
async function backfillWhenScraped(prometheus: SandboxPrometheus, hours: number, startedAt: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  try {
    while (!signal.aborted && Date.now() < deadline) {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent("sum(rate(vllm:generation_tokens_total[2m])) > 0")}`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as { data?: { result?: unknown[] } };
      if (body.data?.result?.length) break;
      await new Promise((r) => setTimeout(r, 10_000));
    }
    if (signal.aborted) return;
    const result = await backfillHistory({ prometheusUrl: prometheus.url, dataDir: prometheus.dataDir, hours, endMs: startedAt - 60_000 });
    if (result !== "already") console.log(`prometheus: backfilled ${hours} h of history (${result.series} series, ${result.blocks} blocks; queryable within a minute)`);
  } catch (err) {
    if (!signal.aborted) console.error("prometheus: backfill failed:", err instanceof Error ? err.message : err);
  }
}
