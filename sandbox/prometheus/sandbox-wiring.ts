import path from "node:path";
import type { ClusterStore } from "../cluster/store";
import type { Fleet } from "../fleet/types";
import { startKeda, type KedaStandIn } from "../keda/keda";
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
}

export interface SandboxTelemetry {
  prometheus: SandboxPrometheus;
  keda: KedaStandIn;
  close(): Promise<void>;
}

export async function startSandboxTelemetry(o: TelemetryOptions, store: ClusterStore, fleet: Fleet): Promise<SandboxTelemetry> {
  let keda: KedaStandIn | undefined;
  const listeners = new Set<() => void>();
  const targets = (): ScrapeTarget[] => [...fleet.targets(), ...(keda ? [keda.target()] : [])];
  const unsubscribeFleet = fleet.onTargetsChanged(() => listeners.forEach((l) => l()));
  const wildcard = o.host === "0.0.0.0" || o.host === "::";
  let prometheus: SandboxPrometheus | undefined;
  try {
    prometheus = await startPrometheus({
      port: o.prometheusPort,
      host: o.host,
      publicHost: wildcard ? o.publicHost : o.host,
      dataDir: o.prometheusDataDir ?? (o.stateDir ? path.join(o.stateDir, "prometheus") : undefined),
      retention: o.prometheusRetention,
      scrapeIntervalSeconds: o.scrapeIntervalSeconds,
      targets,
      onTargetsChanged: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    });
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
  const started = { prometheus, keda };
  return {
    ...started,
    close: async () => {
      unsubscribeFleet();
      await started.keda.close();
      await started.prometheus.stop();
    },
  };
}
