import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { kubeTimestamp, type StoreEvent } from "../cluster/store";
import { createDcgmExporter, type DcgmExporter } from "../dcgm/exporter";
import { closeServer, listen } from "../http/listen";
import { sendText } from "../http/respond";
import { renderKubeState } from "../kube-state/metrics";
import { PROMETHEUS_CONTENT_TYPE } from "./exposition";
import { NODE_KIND, POD_KIND } from "./kinds";
import { buildNodes, DEFAULT_NODES, type GpuHolder, nodeObject, type SimNode } from "./nodes";
import { podObject, podStatus, type SimPod, workloadStatus } from "./pod-objects";
import { defaultReplicaRuntime, type ReplicaRuntime, type ReplicaRuntimeFactory } from "./replica-runtime";
import { placePods } from "./scheduler";
import { podTargetLabels, staticPodLabels } from "./targets";
import type { Fleet, FleetOptions, PodView, ReplicaEndpoint, ScrapeTarget, WorkloadRef, WorkloadView } from "./types";
import { readScaledObject, readWorkload, safeEncode, type WorkloadSpec } from "./workloads";

/**
 * The simulated GPU fleet: what the Deployment/LWS controllers, kube-scheduler and the kubelet
 * do for model-server workloads in the in-memory cluster. One replica = one pod (or an LWS
 * group) on GPUs of a matching node, with its own model-server process stand-in on an
 * ephemeral port. Replica counts come from KEDA (setDesiredReplicas), never from manifests.
 */

type ReplicaState = "pending" | "loading" | "ready" | "draining";

interface SimReplica {
  id: string;
  /** The workload spec the replica was created from (its template revision). */
  spec: WorkloadSpec;
  pods: SimPod[];
  state: ReplicaState;
  seq: number;
  runtime?: ReplicaRuntime;
  url?: string;
  timers: NodeJS.Timeout[];
  ownerUid: string;
}

interface WorkloadState {
  spec: WorkloadSpec;
  generation: number;
  replicas: SimReplica[];
}

const WORKLOAD_KINDS = new Set(["apps/Deployment", "leaderworkerset.x-k8s.io/LeaderWorkerSet"]);
const WATCHED = new Set([...WORKLOAD_KINDS, "keda.sh/ScaledObject", "inference.networking.k8s.io/InferencePool"]);
const DRAIN_POLL_MS = 100;
const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;
const suffix = () => safeEncode(randomBytes(5), 5);

export interface StartFleetOptions extends FleetOptions {
  /** The model-server behind each replica; defaults to the vLLM simulator. */
  replicaRuntime?: ReplicaRuntimeFactory;
}

export async function startFleet(options: StartFleetOptions): Promise<Fleet> {
  const fleet = new FleetImpl(options);
  try {
    await fleet.start();
  } catch (err) {
    await fleet.close();
    throw err;
  }
  return fleet;
}

class FleetImpl implements Fleet {
  private readonly nodes: SimNode[];
  private readonly nodeLabels = new Map<string, Record<string, string>>();
  private readonly workloads = new Map<string, WorkloadState>();
  /** Replicas of deleted workloads still draining. */
  private readonly orphans = new Set<SimReplica>();
  private readonly desiredOverrides = new Map<string, number>();
  private readonly targetListeners = new Set<() => void>();
  private readonly replicaListeners = new Set<() => void>();
  private readonly dcgm: Array<{ node: SimNode; exporter: DcgmExporter; address?: string }> = [];
  private readonly servicesServer: Server;
  private servicesAddress = "";
  private eppRender: ((namespace: string, pool: string) => string) | undefined;
  private unsubscribe: (() => void) | undefined;
  private scheduled = false;
  private closed = false;
  private seq = 0;
  private ipSeq = 0;
  private lastTargets = "";
  private readonly modelLoadMs: number;
  private readonly drainGraceMs: number;
  private readonly runtimeFactory: ReplicaRuntimeFactory;

  constructor(private readonly o: StartFleetOptions) {
    this.nodes = buildNodes(o.nodes ?? DEFAULT_NODES);
    this.modelLoadMs = o.modelLoadMs ?? 20_000;
    this.drainGraceMs = o.drainGraceMs ?? 30_000;
    this.runtimeFactory = o.replicaRuntime ?? defaultReplicaRuntime;
    this.servicesServer = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://fleet").pathname;
      if (req.method !== "GET") return sendText(res, 405, "Method Not Allowed");
      if (path === "/metrics") return sendText(res, 200, renderKubeState({ store: o.store, specReplicas: (ns, name) => this.specReplicas(ns, name) }), PROMETHEUS_CONTENT_TYPE);
      const epp = /^\/epp\/([a-z0-9-]{1,63})\/([a-z0-9.-]{1,253})\/metrics$/.exec(path);
      if (epp) return sendText(res, 200, this.eppRender?.(epp[1]!, epp[2]!) ?? "", PROMETHEUS_CONTENT_TYPE);
      sendText(res, 404, "404 page not found");
    });
  }

  async start(): Promise<void> {
    for (const node of this.nodes) {
      const object = nodeObject(node);
      this.nodeLabels.set(node.name, object.metadata.labels as Record<string, string>);
      this.o.store.apply(object, NODE_KIND);
      this.o.store.updateStatus({ kind: NODE_KIND, name: node.name }, object.status);
      const exporter = createDcgmExporter({ node, busyOf: (h) => this.busyOf(h) });
      const entry: { node: SimNode; exporter: DcgmExporter; address?: string } = { node, exporter };
      this.dcgm.push(entry);
      entry.address = `${this.o.publicHost}:${await listen(exporter.server, 0, this.o.host)}`;
    }
    this.servicesAddress = `${this.o.publicHost}:${await listen(this.servicesServer, 0, this.o.host)}`;
    this.unsubscribe = this.o.store.subscribe((e) => this.onStoreEvent(e));
    this.reconcile();
  }

  // ---- public interface ----

  setDesiredReplicas(ref: WorkloadRef, replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 1000) throw new RangeError(`replicas must be an integer 0..1000, got ${replicas}`);
    this.desiredOverrides.set(keyOf(ref.namespace, ref.name), replicas);
    this.schedule();
  }

  targets(): ScrapeTarget[] {
    const out: ScrapeTarget[] = [];
    for (const w of this.workloads.values()) {
      for (const r of w.replicas) {
        const pod = r.pods[0]!;
        if (!r.url || !pod.placement) continue;
        out.push({
          job: "vllm",
          address: new URL(r.url).host,
          metricsPath: "/metrics",
          labels: podTargetLabels(r.spec, pod, r.state === "ready"),
        });
      }
    }
    for (const d of this.dcgm) {
      if (!d.address) continue;
      out.push({
        job: "dcgm-exporter",
        address: d.address,
        metricsPath: "/metrics",
        labels: staticPodLabels("gpu-operator", `nvidia-dcgm-exporter-${safeEncode(Buffer.from(d.node.name), 5)}`, "nvidia-dcgm-exporter", d.node.name, { app: "nvidia-dcgm-exporter" }),
      });
    }
    if (this.servicesAddress) {
      out.push({
        job: "kube-state-metrics",
        address: this.servicesAddress,
        metricsPath: "/metrics",
        labels: staticPodLabels("kube-system", "kube-state-metrics-6f8d9c7b5-x2k4q", "kube-state-metrics", this.nodes[0]?.name ?? "", { "app.kubernetes.io/name": "kube-state-metrics" }),
      });
      for (const { namespace, pool } of this.pools()) {
        out.push({
          job: "epp",
          address: this.servicesAddress,
          metricsPath: `/epp/${namespace}/${pool}/metrics`,
          labels: staticPodLabels(namespace, `${pool}-epp-${safeEncode(Buffer.from(`${namespace}/${pool}`), 10)}-${safeEncode(Buffer.from(pool), 5)}`, "epp", this.nodes[0]?.name ?? "", {
            "app.kubernetes.io/component": "endpoint-picker",
            "portal.inference-platform.io/deployment": pool,
          }),
        });
      }
    }
    return out;
  }

  onTargetsChanged(listener: () => void): () => void {
    this.targetListeners.add(listener);
    return () => this.targetListeners.delete(listener);
  }

  onReplicasChanged(listener: () => void): () => void {
    this.replicaListeners.add(listener);
    return () => this.replicaListeners.delete(listener);
  }

  replicas(): WorkloadView[] {
    return [...this.workloads.values()].map((w) => ({
      namespace: w.spec.namespace,
      name: w.spec.name,
      kind: w.spec.kind,
      model: w.spec.servedModelName,
      modelId: w.spec.modelId,
      pool: w.spec.pool,
      gpuType: w.spec.gpuType,
      gpusPerReplica: w.spec.gpusPerPod * w.spec.podsPerReplica,
      desired: this.desiredOf(w.spec),
      ready: w.replicas.filter((r) => r.state === "ready").length,
      pods: w.replicas.flatMap((r) => r.pods.map((p) => this.podView(r, p))),
    }));
  }

  loadOf(namespace: string, pod: string) {
    const r = this.replicaOfPod(namespace, pod);
    const s = r?.runtime?.snapshot();
    return s ? { running: s.running, waiting: s.waiting, kvCacheUsage: s.kvCacheUsage } : undefined;
  }

  pickReplica(model: string, namespace?: string, extraLoad?: (pod: string) => number): ReplicaEndpoint | undefined {
    let candidates = [...this.workloads.values()].filter((w) => w.spec.servedModelName === model);
    if (namespace && candidates.some((w) => w.spec.namespace === namespace)) candidates = candidates.filter((w) => w.spec.namespace === namespace);
    let best: { r: SimReplica; score: [number, number, number] } | undefined;
    for (const w of candidates) {
      for (const r of w.replicas) {
        if (r.state !== "ready" || !r.url || !r.runtime) continue;
        const s = r.runtime.snapshot();
        const pod = r.pods[0]!.name;
        // The EPP's queue scorer first, then its KV-cache scorer; dispatched-but-uncounted requests count as waiting.
        const score: [number, number, number] = [s.waiting + (extraLoad?.(pod) ?? 0), s.running, s.kvCacheUsage];
        if (!best || compare(score, best.score) < 0) best = { r, score };
      }
    }
    if (!best) return undefined;
    const pod = best.r.pods[0]!;
    return { url: best.r.url!, namespace: best.r.spec.namespace, pod: pod.name, workload: best.r.spec.name, pool: best.r.spec.pool, node: pod.placement!.node.name };
  }

  setEppMetrics(render: (namespace: string, pool: string) => string): void {
    this.eppRender = render;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    const all = [...[...this.workloads.values()].flatMap((w) => w.replicas), ...this.orphans];
    for (const r of all) for (const t of r.timers) clearTimeout(t);
    await Promise.all(all.map((r) => (r.runtime ? closeServer(r.runtime.server) : undefined)));
    for (const d of this.dcgm) d.exporter.close();
    await Promise.all([...this.dcgm.map((d) => closeServer(d.exporter.server)), closeServer(this.servicesServer)]);
  }

  // ---- reconciliation ----

  private onStoreEvent(e: StoreEvent): void {
    if (WATCHED.has(`${e.kind.group}/${e.kind.kind}`)) this.schedule();
  }

  /** Coalesces bursts of store events (an Argo sync applies many objects) into one pass. */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.reconcile();
    });
  }

  private reconcile(): void {
    const seen = new Set<string>();
    for (const { object, kind } of this.o.store.entries({ where: (_o, k) => WORKLOAD_KINDS.has(`${k.group}/${k.kind}`) })) {
      const spec = readWorkload(object, kind);
      if (!spec) continue;
      const key = keyOf(spec.namespace, spec.name);
      seen.add(key);
      const existing = this.workloads.get(key);
      const generation = Number(object.metadata.generation ?? 1);
      if (existing) {
        existing.spec = spec;
        existing.generation = generation;
      } else this.workloads.set(key, { spec, generation, replicas: [] });
    }
    for (const [key, w] of this.workloads) {
      if (seen.has(key)) continue;
      // Deleting the workload garbage-collects its pods: they terminate gracefully.
      this.workloads.delete(key);
      for (const r of w.replicas) {
        this.orphans.add(r);
        this.drain(r);
      }
    }
    for (const w of this.workloads.values()) this.scale(w);
    this.scheduleRunnable();
    for (const w of this.workloads.values()) this.writeWorkloadStatus(w);
    this.changed();
  }

  private scale(w: WorkloadState): void {
    const desired = this.desiredOf(w.spec);
    const alive = w.replicas.filter((r) => r.state !== "draining");
    const current = alive.filter((r) => r.spec.templateHash === w.spec.templateHash);
    const old = alive.filter((r) => r.spec.templateHash !== w.spec.templateHash);
    for (let i = current.length; i < desired; i++) w.replicas.push(this.createReplica(w));
    // Scale-down victims in the ReplicaSet controller's order: unscheduled, then not ready, then newest.
    const victims = (list: SimReplica[], count: number) =>
      [...list].sort((a, b) => rank(a) - rank(b) || b.seq - a.seq).slice(0, Math.max(0, count));
    for (const r of victims(current, current.length - desired)) this.drain(r);
    // Rolling update with maxUnavailable 0: an old replica goes only once a new one is ready.
    const readyNew = current.filter((r) => r.state === "ready").length;
    for (const r of victims(old, old.length - Math.max(0, desired - readyNew))) this.drain(r);
  }

  private createReplica(w: WorkloadState): SimReplica {
    const spec = w.spec;
    const now = kubeTimestamp();
    let pods: SimPod[];
    let id: string;
    if (spec.kind === "Deployment") {
      id = suffix();
      pods = [{ name: `${spec.name}-${spec.templateHash}-${id}`, role: "server", createdAt: now }];
    } else {
      const used = new Set(w.replicas.map((r) => r.id));
      let index = 0;
      while (used.has(String(index))) index++;
      id = String(index);
      pods = Array.from({ length: spec.podsPerReplica }, (_, j) => ({
        name: j === 0 ? `${spec.name}-${index}` : `${spec.name}-${index}-${j}`,
        role: j === 0 ? ("server" as const) : ("worker" as const),
        createdAt: now,
        groupIndex: index,
        workerIndex: j,
      }));
    }
    const replica: SimReplica = { id, spec, pods, state: "pending", seq: ++this.seq, timers: [], ownerUid: randomUUID() };
    this.writePods(replica);
    return replica;
  }

  /** Places pending replicas in creation order, as GPUs allow. */
  private scheduleRunnable(): void {
    const pending = [...this.workloads.values()].flatMap((w) => w.replicas).filter((r) => r.state === "pending").sort((a, b) => a.seq - b.seq);
    for (const r of pending) {
      const result = placePods(this.nodes, (n) => this.nodeLabels.get(n.name) ?? {}, r.spec.nodeSelector, r.spec.gpusPerPod, r.pods.length);
      if (!result.ok) {
        for (const p of r.pods) p.unschedulable = result.message;
        this.writePods(r);
        continue;
      }
      const now = kubeTimestamp();
      result.placements.forEach((placement, i) => {
        const pod = r.pods[i]!;
        pod.placement = placement;
        pod.unschedulable = undefined;
        pod.startedAt = now;
        const nodeIndex = this.nodes.indexOf(placement.node);
        pod.hostIP = `10.0.0.${10 + nodeIndex}`;
        pod.podIP = `10.244.${nodeIndex}.${(this.ipSeq++ % 250) + 2}`;
        const container = pod.role === "server" ? r.spec.container : String((r.spec.workerPodSpec.containers as Array<{ name?: string }>)[0]?.name ?? r.spec.container);
        for (const g of placement.gpus) placement.node.gpus[g]!.holder = { namespace: r.spec.namespace, pod: pod.name, container };
      });
      r.state = "loading";
      this.writePods(r);
      void this.startRuntime(r);
    }
  }

  private async startRuntime(r: SimReplica): Promise<void> {
    const runtime = this.runtimeFactory({
      servedModelName: r.spec.servedModelName,
      maxModelLen: r.spec.maxModelLen,
      gpuType: r.spec.gpuType,
      gpusPerReplica: r.spec.gpusPerPod * r.spec.podsPerReplica,
    });
    r.runtime = runtime;
    const port = await listen(runtime.server, 0, this.o.host);
    if (r.state === "draining" || this.closed) return;
    r.url = `http://${this.o.publicHost}:${port}`;
    this.changed();
    r.timers.push(
      setTimeout(() => {
        if (r.state !== "loading") return;
        r.state = "ready";
        const now = kubeTimestamp();
        for (const p of r.pods) p.readyAt = now;
        this.writePods(r);
        this.writeStatusOf(r);
        this.changed();
        // A rolling update waits for this: an old replica may go now.
        this.schedule();
      }, this.modelLoadMs),
    );
  }

  /** Stops routing to the replica, lets in-flight requests finish (up to the grace period), then frees its GPUs. */
  private drain(r: SimReplica): void {
    if (r.state === "draining") return;
    const wasRunning = r.state === "loading" || r.state === "ready";
    r.state = "draining";
    for (const t of r.timers) clearTimeout(t);
    r.timers = [];
    const now = kubeTimestamp();
    for (const p of r.pods) p.deletingAt = now;
    this.writePods(r);
    const deadline = Date.now() + this.drainGraceMs;
    const check = () => {
      const s = r.runtime?.snapshot();
      const idle = !s || s.running + s.waiting === 0;
      if (!wasRunning || idle || Date.now() >= deadline || this.closed) void this.finishDrain(r);
      else r.timers.push(setTimeout(check, DRAIN_POLL_MS));
    };
    check();
  }

  private async finishDrain(r: SimReplica): Promise<void> {
    if (r.runtime) await closeServer(r.runtime.server);
    for (const p of r.pods) {
      for (const g of p.placement?.gpus ?? []) delete p.placement!.node.gpus[g]!.holder;
      this.o.store.delete({ kind: POD_KIND, namespace: r.spec.namespace, name: p.name });
    }
    this.orphans.delete(r);
    const w = this.workloads.get(keyOf(r.spec.namespace, r.spec.name));
    if (w) w.replicas = w.replicas.filter((x) => x !== r);
    if (!this.closed) this.schedule();
  }

  // ---- store writes ----

  private writePods(r: SimReplica): void {
    if (this.closed) return;
    for (const p of r.pods) {
      const object = podObject(r.spec, p, r.ownerUid);
      this.o.store.apply(object, POD_KIND);
      this.o.store.updateStatus({ kind: POD_KIND, namespace: r.spec.namespace, name: p.name }, podStatus(r.spec, p));
    }
  }

  private writeStatusOf(r: SimReplica): void {
    const w = this.workloads.get(keyOf(r.spec.namespace, r.spec.name));
    if (w) this.writeWorkloadStatus(w);
  }

  private writeWorkloadStatus(w: WorkloadState): void {
    const alive = w.replicas.filter((r) => r.state !== "draining");
    const ref = { kind: w.spec.kindInfo, namespace: w.spec.namespace, name: w.spec.name };
    const previous = (this.o.store.get(ref)?.status as { conditions?: never[] } | undefined)?.conditions;
    const status = workloadStatus(
      w.spec,
      w.generation,
      {
        replicas: alive.length,
        updated: alive.filter((r) => r.spec.templateHash === w.spec.templateHash).length,
        ready: alive.filter((r) => r.state === "ready").length,
        desired: this.desiredOf(w.spec),
      },
      previous,
    );
    this.o.store.updateStatus(ref, status);
  }

  private changed(): void {
    if (this.closed) return;
    for (const l of this.replicaListeners) safely(l);
    const targets = JSON.stringify(this.targets());
    if (targets === this.lastTargets) return;
    this.lastTargets = targets;
    for (const l of this.targetListeners) safely(l);
  }

  // ---- lookups ----

  private desiredOf(spec: WorkloadSpec): number {
    const override = this.desiredOverrides.get(keyOf(spec.namespace, spec.name));
    if (override !== undefined) return override;
    for (const so of this.o.store.list({ group: "keda.sh", kind: "ScaledObject", namespace: spec.namespace })) {
      const s = readScaledObject(so);
      if (s && s.target === spec.name && s.targetKind === spec.kind) return s.min;
    }
    return 1;
  }

  private specReplicas(namespace: string, name: string): number | undefined {
    const w = this.workloads.get(keyOf(namespace, name));
    return w ? this.desiredOf(w.spec) : undefined;
  }

  private pools(): Array<{ namespace: string; pool: string }> {
    const pools = new Map<string, { namespace: string; pool: string }>();
    for (const p of this.o.store.list({ group: "inference.networking.k8s.io", kind: "InferencePool" })) {
      if (p.metadata.namespace) pools.set(keyOf(p.metadata.namespace, p.metadata.name), { namespace: p.metadata.namespace, pool: p.metadata.name });
    }
    for (const w of this.workloads.values()) pools.set(keyOf(w.spec.namespace, w.spec.pool), { namespace: w.spec.namespace, pool: w.spec.pool });
    return [...pools.values()].sort((a, b) => keyOf(a.namespace, a.pool).localeCompare(keyOf(b.namespace, b.pool)));
  }

  private replicaOfPod(namespace: string, pod: string): SimReplica | undefined {
    for (const r of [...[...this.workloads.values()].flatMap((w) => w.replicas), ...this.orphans]) {
      if (r.spec.namespace === namespace && r.pods.some((p) => p.name === pod)) return r;
    }
    return undefined;
  }

  private busyOf(holder: GpuHolder): number {
    const r = this.replicaOfPod(holder.namespace, holder.pod);
    if (!r?.runtime || (r.state !== "ready" && r.state !== "draining")) return 0;
    return r.runtime.snapshot().gpuBusy;
  }

  private podView(r: SimReplica, p: SimPod): PodView {
    return {
      name: p.name,
      phase: r.state === "draining" ? "Terminating" : p.placement ? "Running" : "Pending",
      ready: r.state === "ready",
      node: p.placement?.node.name,
      gpus: p.placement?.gpus ?? [],
      url: p.role === "server" ? r.url : undefined,
      reason: p.unschedulable ?? (r.state === "loading" ? "model loading" : undefined),
    };
  }
}

const rank = (r: SimReplica) => (r.state === "pending" ? 0 : r.state === "loading" ? 1 : 2);

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error("[sandbox fleet] listener failed:", err);
  }
}
