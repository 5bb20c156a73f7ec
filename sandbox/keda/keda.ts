import { createServer, type Server } from "node:http";
import type { ClusterStore, StoreEvent } from "../cluster/store";
import { findKind } from "../cluster/registry";
import type { KubeObject } from "../cluster/validate";
import { closeServer, listen } from "../http/listen";
import type { ScrapeTarget } from "../prometheus/scrape-target";
import { KedaMetrics } from "./keda-metrics";
import { queryTrigger } from "./prometheus-query";
import { decideReplicas, initialScaleState, type ScaleState, type TriggerReading } from "./replicas";
import { readScaledObject, type ScaledObjectView } from "./scaled-object";
import { hpaNameOf, hpaObject, hpaStatus, invalidStatus, scaledObjectStatus } from "./status";

/**
 * The KEDA stand-in: for every ScaledObject in the cluster, every `pollingInterval` it runs the
 * prometheus triggers' queries against the sandbox Prometheus (the in-cluster `serverAddress` of
 * the manifest does not resolve here, so it is replaced), decides the replica count as KEDA and
 * its HPA would, tells the fleet, and writes the ScaledObject status and its HPA.
 */

export interface ScaleTargetDriver {
  setDesiredReplicas(ref: { namespace: string; name: string }, replicas: number): void;
  /** Current desired counts, when the driver knows them (the fleet does). */
  replicas?(): ReadonlyArray<{ namespace: string; name: string; desired: number }>;
}

export interface KedaOptions {
  store: ClusterStore;
  prometheusUrl: string;
  driver: ScaleTargetDriver;
  /** Multiplies pollingInterval, cooldownPeriod and the HPA windows; 0.1 = ten times faster. */
  timeScale?: number;
  host?: string;
  publicHost?: string;
  queryTimeoutMs?: number;
}

export interface KedaStandIn {
  /** Where the operator metrics are served (`/metrics`). */
  metricsUrl: string;
  /** The operator's metrics as a scrape target (job `keda-operator`). */
  target(): ScrapeTarget;
  /** Polls every ScaledObject now, regardless of its interval. */
  pollNow(): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  view: ScaledObjectView;
  generation: number;
  state: ScaleState;
  nextAt: number;
  running?: Promise<void>;
  failures: Map<string, number>;
  originalReplicas?: number;
  lastScaleAt?: number;
  hpaCreated: boolean;
}

const SO_GROUP = "keda.sh";
const SO_KIND = { group: SO_GROUP, kind: "ScaledObject" };
const TICK_MS = 100;
const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

export async function startKeda(options: KedaOptions): Promise<KedaStandIn> {
  const { store, driver } = options;
  const timeScale = options.timeScale ?? 1;
  const metrics = new KedaMetrics();
  const entries = new Map<string, Entry>();
  const hpaKind = findKind("autoscaling/v2", "HorizontalPodAutoscaler");
  if (!hpaKind) throw new Error("cluster registry lacks autoscaling/v2 HorizontalPodAutoscaler");

  const server: Server = createServer((req, res) => {
    if (req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, 0, host);
  const address = `${options.publicHost ?? host}:${port}`;

  const currentOf = (view: ScaledObjectView): number | undefined =>
    driver.replicas?.().find((w) => w.namespace === view.namespace && w.name === view.target.name)?.desired;

  function upsert(object: KubeObject): void {
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const generation = Number(object.metadata.generation ?? 1);
    const existing = entries.get(key);
    if (existing && existing.generation === generation) return; // our own status write
    const view = readScaledObject(object, timeScale);
    if ("error" in view) {
      if (existing) remove(key, false);
      store.updateStatus({ kind: SO_KIND, namespace: object.metadata.namespace, name: object.metadata.name }, invalidStatus(view.error));
      return;
    }
    if (existing) {
      existing.view = view;
      existing.generation = generation;
      existing.nextAt = 0;
      existing.hpaCreated = false;
    } else {
      const workload = store.get({ kind: { group: "apps", kind: "Deployment" }, namespace: view.namespace, name: view.target.name });
      const original = (workload?.spec as { replicas?: number } | undefined)?.replicas;
      const current = currentOf(view) ?? original ?? 1;
      entries.set(key, { view, generation, state: initialScaleState(current), nextAt: 0, failures: new Map(), originalReplicas: original, hpaCreated: false });
      metrics.registered(view.namespace, view.name, view.triggers.map((t) => ({ metric: t.metricName, index: t.index })));
    }
    updateTotals();
  }

  function remove(key: string, deleteHpa = true): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    metrics.forget(entry.view.namespace, entry.view.name, entry.view.triggers.map((t) => ({ metric: t.metricName, index: t.index })));
    // The HPA is owned by the ScaledObject: garbage-collected with it.
    if (deleteHpa) store.delete({ kind: hpaKind!, namespace: entry.view.namespace, name: hpaNameOf(entry.view.name) });
    updateTotals();
  }

  function updateTotals(): void {
    const perNamespace = new Map<string, number>();
    let triggers = 0;
    for (const e of entries.values()) {
      perNamespace.set(e.view.namespace, (perNamespace.get(e.view.namespace) ?? 0) + 1);
      triggers += e.view.triggers.length;
    }
    metrics.totals(perNamespace, triggers);
  }

  async function poll(key: string, entry: Entry): Promise<void> {
    const { view } = entry;
    const errors = new Map<string, string>();
    const values = new Map<string, number>();
    const readings: TriggerReading[] = await Promise.all(
      view.triggers.map(async (t) => {
        const started = performance.now();
        let value: number | undefined;
        try {
          value = await queryTrigger(options.prometheusUrl, t.query, t.ignoreNullValues, options.queryTimeoutMs);
          values.set(t.metricName, value);
          entry.failures.set(t.metricName, 0);
        } catch (err) {
          errors.set(t.metricName, err instanceof Error ? err.message : String(err));
          entry.failures.set(t.metricName, (entry.failures.get(t.metricName) ?? 0) + 1);
        }
        const latencySeconds = (performance.now() - started) / 1000;
        metrics.recordTrigger(view.namespace, view.name, t.metricName, t.index, {
          value,
          active: value !== undefined && value > t.activationThreshold,
          latencySeconds,
          error: value === undefined,
        });
        return { value, threshold: t.threshold, activationThreshold: t.activationThreshold };
      }),
    );
    if (entries.get(key) !== entry) return; // deleted or replaced while querying
    const now = Date.now();
    const current = currentOf(view) ?? entry.state.replicas;
    const decision = decideReplicas(view.spec, readings, { ...entry.state, replicas: current }, now);
    entry.state = decision.state;
    if (decision.replicas !== current) {
      entry.lastScaleAt = now;
      driver.setDesiredReplicas({ namespace: view.namespace, name: view.target.name }, decision.replicas);
    }
    store.updateStatus(
      { kind: SO_KIND, namespace: view.namespace, name: view.name },
      scaledObjectStatus(view, { active: decision.active, lastActiveAt: decision.state.lastActiveAt, errors, failures: entry.failures }, entry.originalReplicas),
    );
    if (!entry.hpaCreated) {
      store.apply(hpaObject(view), hpaKind!);
      entry.hpaCreated = true;
    }
    store.updateStatus(
      { kind: hpaKind!, namespace: view.namespace, name: hpaNameOf(view.name) },
      hpaStatus(view, decision.replicas, decision.hpaDesired ?? decision.replicas, values, entry.lastScaleAt),
    );
  }

  function runDue(force = false): Promise<void>[] {
    const now = Date.now();
    const runs: Promise<void>[] = [];
    for (const [key, entry] of entries) {
      if (entry.running) {
        if (force) runs.push(entry.running);
        continue;
      }
      if (!force && now < entry.nextAt) continue;
      entry.nextAt = now + entry.view.pollingMs;
      const run = poll(key, entry)
        .catch((err: unknown) => console.error(`keda: polling ${key} failed:`, err))
        .finally(() => (entry.running = undefined));
      entry.running = run;
      runs.push(run);
    }
    return runs;
  }

  for (const object of store.list({ group: SO_GROUP, kind: "ScaledObject" })) upsert(object);
  const unsubscribe = store.subscribe((event: StoreEvent) => {
    if (event.kind.group !== SO_GROUP || event.kind.kind !== "ScaledObject") return;
    if (event.type === "DELETED") remove(keyOf(event.object.metadata.namespace, event.object.metadata.name));
    else upsert(event.object);
  });
  const timer = setInterval(() => void runDue(), TICK_MS);
  timer.unref();

  let closed: Promise<void> | undefined;
  return {
    metricsUrl: `http://${address}/metrics`,
    target: () => ({
      job: "keda-operator",
      address,
      metricsPath: "/metrics",
      labels: {
        __meta_kubernetes_namespace: "keda",
        __meta_kubernetes_pod_name: "keda-operator-sandbox",
        __meta_kubernetes_pod_container_name: "keda-operator",
      },
    }),
    pollNow: async () => {
      await Promise.all(runDue(true));
    },
    close: () =>
      (closed ??= (async () => {
        clearInterval(timer);
        unsubscribe();
        await Promise.all([...entries.values()].map((e) => e.running));
        await closeServer(server);
      })()),
  };
}
