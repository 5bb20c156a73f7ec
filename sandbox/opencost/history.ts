import { GPU_PRODUCT_LABEL, GPU_RESOURCE } from "../../lib/catalog/gpus";
import type { ClusterStore, StoreEvent } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import { parseQuantity } from "../kube-state/metrics";
import { gpuTypeOfProduct } from "./pricing";

/**
 * The cluster's history as OpenCost needs it: when each pod ran where with which requests, and
 * which nodes (with how many GPUs of which type) existed when. Real OpenCost rebuilds this from
 * Prometheus (kube-state-metrics, cAdvisor); the stand-in records it from the in-memory store's
 * events, and a scripted scenario can inject intervals with explicit timestamps.
 *
 * Times are epoch milliseconds. An interval is [start, end); an open one (no end) lasts "until
 * now" and is clipped at the `now()` of each query.
 */
export interface PodInterval {
  namespace: string;
  pod: string;
  node: string;
  /** The owning workload as OpenCost names it: a Deployment (not its ReplicaSet), StatefulSet… */
  controller?: string;
  controllerKind?: string;
  labels: Record<string, string>;
  start: number;
  end?: number;
  gpus: number;
  cpuCores: number;
  ramBytes: number;
  pvBytes: number;
}

export interface NodeInterval {
  node: string;
  /** Catalog GPU type id (`L4`…), undefined for a node without GPUs or with an unknown product. */
  gpuType?: string;
  gpuCount: number;
  cpuCores: number;
  ramBytes: number;
  start: number;
  end?: number;
}

export type PodIntervalInput = Omit<PodInterval, "labels" | "pvBytes" | "start" | "end"> & {
  labels?: Record<string, string>;
  pvBytes?: number;
  start: Date | number;
  end?: Date | number;
};
export type NodeIntervalInput = Omit<NodeInterval, "start" | "end"> & { start: Date | number; end?: Date | number };

const ms = (t: Date | number) => (typeof t === "number" ? t : t.getTime());

type Resources = { gpus: number; cpuCores: number; ramBytes: number };

function podResources(pod: KubeObject): Resources {
  const containers = ((pod.spec as { containers?: unknown } | undefined)?.containers as Array<{ resources?: { requests?: Record<string, string | number> } }> | undefined) ?? [];
  const total = { gpus: 0, cpuCores: 0, ramBytes: 0 };
  for (const c of containers) {
    const r = c.resources?.requests ?? {};
    total.gpus += parseQuantity(r[GPU_RESOURCE] ?? 0) ?? 0;
    total.cpuCores += parseQuantity(r.cpu ?? 0) ?? 0;
    total.ramBytes += parseQuantity(r.memory ?? 0) ?? 0;
  }
  return total;
}

/** OpenCost reports a ReplicaSet's pods under its Deployment: drop the pod-template-hash suffix. */
function controllerOf(pod: KubeObject): { controller?: string; controllerKind?: string } {
  const owners = (pod.metadata.ownerReferences as Array<{ kind?: string; name?: string; controller?: boolean }> | undefined) ?? [];
  const owner = owners.find((o) => o.controller) ?? owners[0];
  if (!owner?.name || !owner.kind) return {};
  const hash = pod.metadata.labels?.["pod-template-hash"];
  if (owner.kind === "ReplicaSet" && hash && owner.name.endsWith(`-${hash}`)) {
    return { controller: owner.name.slice(0, -hash.length - 1), controllerKind: "deployment" };
  }
  return { controller: owner.name, controllerKind: owner.kind.toLowerCase() };
}

const runningOn = (pod: KubeObject): string | undefined => {
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return node && phase === "Running" ? node : undefined;
};

function nodeFacts(node: KubeObject): Omit<NodeInterval, "start" | "end"> {
  const capacity = ((node.status as { capacity?: Record<string, string> } | undefined)?.capacity ?? {}) as Record<string, string>;
  const gpuCount = parseQuantity(capacity[GPU_RESOURCE] ?? "0") ?? 0;
  return {
    node: node.metadata.name,
    gpuType: gpuCount > 0 ? gpuTypeOfProduct(node.metadata.labels?.[GPU_PRODUCT_LABEL]) : undefined,
    gpuCount,
    cpuCores: parseQuantity(capacity.cpu ?? "0") ?? 0,
    ramBytes: parseQuantity(capacity.memory ?? "0") ?? 0,
  };
}

const sameFacts = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);

export class ClusterHistory {
  private readonly pods: PodInterval[] = [];
  private readonly nodes: NodeInterval[] = [];
  /** Open intervals by pod uid/key and node name, so an event closes the right one. */
  private readonly openPods = new Map<string, PodInterval>();
  private readonly openNodes = new Map<string, NodeInterval>();

  constructor(readonly now: () => number = Date.now) {}

  /**
   * Records from `store` from now on, starting with what is already there (as if it started
   * now: the stand-in cannot know what ran before it was attached). Returns the unsubscribe.
   */
  attach(store: ClusterStore): () => void {
    for (const { object, kind } of store.entries({ group: "" })) this.observe(kind.kind, object, false);
    return store.subscribe((event) => this.onEvent(event));
  }

  private onEvent(event: StoreEvent): void {
    if (event.kind.group !== "") return;
    this.observe(event.kind.kind, event.object, event.type === "DELETED");
  }

  private observe(kind: string, object: KubeObject, deleted: boolean): void {
    const t = this.now();
    if (kind === "Pod") {
      const key = `${object.metadata.namespace}/${object.metadata.name}/${String(object.metadata.uid ?? "")}`;
      const open = this.openPods.get(key);
      const node = deleted ? undefined : runningOn(object);
      const facts = node ? { node, ...podResources(object), ...controllerOf(object), labels: { ...object.metadata.labels } } : undefined;
      if (open && (!facts || !sameFacts({ node: open.node, gpus: open.gpus, cpuCores: open.cpuCores, ramBytes: open.ramBytes }, { node: facts.node, gpus: facts.gpus, cpuCores: facts.cpuCores, ramBytes: facts.ramBytes }))) {
        this.close(this.pods, open, t);
        this.openPods.delete(key);
      } else if (open) {
        return;
      }
      if (facts) {
        const interval: PodInterval = { namespace: object.metadata.namespace ?? "", pod: object.metadata.name, pvBytes: 0, start: t, ...facts };
        this.pods.push(interval);
        this.openPods.set(key, interval);
      }
    } else if (kind === "Node") {
      const name = object.metadata.name;
      const open = this.openNodes.get(name);
      const facts = deleted ? undefined : nodeFacts(object);
      if (open && facts && sameFacts(nodeFacts(object), { node: open.node, gpuType: open.gpuType, gpuCount: open.gpuCount, cpuCores: open.cpuCores, ramBytes: open.ramBytes })) return;
      if (open) {
        this.close(this.nodes, open, t);
        this.openNodes.delete(name);
      }
      if (facts) {
        const interval: NodeInterval = { ...facts, start: t };
        this.nodes.push(interval);
        this.openNodes.set(name, interval);
      }
    }
  }

  /**
   * Ends an open interval. Objects are written as apply-then-status (apply drops status), so a
   * node first appears without capacity and a moment later with it: a zero-length interval is
   * dropped rather than kept as noise.
   */
  private close<T extends { start: number; end?: number }>(list: T[], interval: T, t: number): void {
    if (t > interval.start) interval.end = t;
    else list.splice(list.indexOf(interval), 1);
  }

  /** Injects a pod's run with explicit times (scripted scenarios). */
  addPod(input: PodIntervalInput): void {
    const start = ms(input.start);
    const end = input.end === undefined ? undefined : ms(input.end);
    if (!Number.isFinite(start) || (end !== undefined && !(end > start))) throw new Error(`pod ${input.namespace}/${input.pod}: end must be after start`);
    if (![input.gpus, input.cpuCores, input.ramBytes, input.pvBytes ?? 0].every((v) => Number.isFinite(v) && v >= 0)) throw new Error(`pod ${input.namespace}/${input.pod}: requests must be non-negative`);
    this.pods.push({ ...input, labels: { ...input.labels }, pvBytes: input.pvBytes ?? 0, start, end });
  }

  /** Injects a node's existence with explicit times (scripted scenarios). */
  addNode(input: NodeIntervalInput): void {
    const start = ms(input.start);
    const end = input.end === undefined ? undefined : ms(input.end);
    if (!Number.isFinite(start) || (end !== undefined && !(end > start))) throw new Error(`node ${input.node}: end must be after start`);
    this.nodes.push({ ...input, start, end });
  }

  podIntervals(): readonly PodInterval[] {
    return this.pods;
  }

  nodeIntervals(): readonly NodeInterval[] {
    return this.nodes;
  }

  /** Forgets everything recorded or injected (open intervals of live objects included). */
  clear(): void {
    this.pods.length = 0;
    this.nodes.length = 0;
    this.openPods.clear();
    this.openNodes.clear();
  }
}
