import type { ClusterHistory, PodInterval } from "./history";
import { dollars, GIB, type PriceTable } from "./pricing";
import { sanitizeLabel, type FilterFn, type FilterTarget } from "./filter";
import { rfc3339String, type TimeWindow } from "./window";

/**
 * OpenCost's allocation model, computed from the recorded history and the price table.
 *
 * What is implemented (and how it maps to OpenCost):
 * - A pod's allocation in a set is its requests × the hours it ran (Running on a node) inside
 *   the set's window; cost = unit-hours × the price (GPU price by the node's GPU type).
 * - Idle, per node: the node's capacity cost (GPUs, CPU cores, RAM) minus what the pods on it
 *   requested, per resource, never below zero. PV cost has no idle (PVs are their own assets).
 * - `includeIdle`: idle appears as `__idle__` (cluster-wide), or as one `<node>/__idle__` per
 *   node with `idleByNode`.
 * - `shareIdle`: each idle resource cost is added to the allocations' cost of the same resource,
 *   in proportion to their cost of that resource (OpenCost's weighted idle coefficients), within
 *   the cluster, or within each node with `idleByNode`. Idle that has no allocation to go to
 *   (e.g. a node none of whose GPUs is requested, under `idleByNode`) stays as `__idle__`, so the
 *   sum of all entries is always the cluster's cost.
 * - Sharing is done per pod before filtering and aggregation, so a filter or an aggregation never
 *   changes a tenant's share.
 * - Usage is not simulated here (DCGM/Prometheus carry utilization): usage averages and
 *   efficiencies are 0. Network, load balancer, shared and external costs are 0.
 */
export const CLUSTER_ID = "sandbox";
export const IDLE = "__idle__";
export const UNALLOCATED = "__unallocated__";
const HOUR = 3_600_000;
const MINUTE = 60_000;

export const AGGREGATE_FIELDS = ["all", "cluster", "node", "namespace", "controllerKind", "controller", "pod"] as const;

export interface AllocationQuery {
  window: TimeWindow;
  /** Set length in ms; defaults to the window (one set). */
  step?: number;
  /** e.g. ["namespace"], ["namespace", "label:app"]; empty = no aggregation (per pod, keyed cluster/node/namespace/pod). */
  aggregate: string[];
  accumulate: boolean;
  includeIdle: boolean;
  shareIdle: boolean;
  idleByNode: boolean;
  filter?: FilterFn;
}

type Properties = FilterTarget & { cluster: string; providerID?: string };

const RESOURCES = ["cpu", "gpu", "ram"] as const;
type Resource = (typeof RESOURCES)[number];

interface Raw {
  name: string;
  properties: Properties;
  idle: boolean;
  start: number;
  end: number;
  cpuCoreHours: number;
  gpuHours: number;
  ramByteHours: number;
  pvByteHours: number;
  cpuCost: number;
  gpuCost: number;
  ramCost: number;
  pvCost: number;
}

const NUMERIC = ["cpuCoreHours", "gpuHours", "ramByteHours", "pvByteHours", "cpuCost", "gpuCost", "ramCost", "pvCost"] as const;
const costOf = (r: Raw, res: Resource) => (res === "cpu" ? r.cpuCost : res === "gpu" ? r.gpuCost : r.ramCost);
const addCost = (r: Raw, res: Resource, v: number) => {
  if (res === "cpu") r.cpuCost += v;
  else if (res === "gpu") r.gpuCost += v;
  else r.ramCost += v;
};

function emptyRaw(name: string, properties: Properties, idle: boolean, start: number, end: number): Raw {
  return { name, properties, idle, start, end, cpuCoreHours: 0, gpuHours: 0, ramByteHours: 0, pvByteHours: 0, cpuCost: 0, gpuCost: 0, ramCost: 0, pvCost: 0 };
}

function mergeInto(target: Raw, source: Raw): void {
  for (const f of NUMERIC) target[f] += source[f];
  target.start = Math.min(target.start, source.start);
  target.end = Math.max(target.end, source.end);
}

/** Properties every member shares (OpenCost keeps only those after aggregation). */
function intersect(a: Properties, b: Properties): Properties {
  const out: Properties = { cluster: a.cluster === b.cluster ? a.cluster : "" };
  for (const key of ["node", "namespace", "pod", "controller", "controllerKind", "providerID"] as const) {
    if (a[key] !== undefined && a[key] === b[key]) out[key] = a[key];
  }
  if (a.labels && b.labels) {
    const labels = Object.fromEntries(Object.entries(a.labels).filter(([k, v]) => b.labels?.[k] === v));
    if (Object.keys(labels).length) out.labels = labels;
  }
  return out;
}

const overlap = (aStart: number, aEnd: number, bStart: number, bEnd: number) => Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));

/** One set's per-pod allocations and per-node idle, before sharing, filtering and aggregation. */
function computeSet(history: ClusterHistory, prices: PriceTable, set: TimeWindow, now: number): { pods: Raw[]; idle: Raw[] } {
  const nodes = history.nodeIntervals();
  const gpuTypeOf = (node: string, at: number) =>
    (nodes.find((n) => n.node === node && n.start <= at && at < (n.end ?? now)) ?? nodes.findLast((n) => n.node === node))?.gpuType;

  const pods = new Map<string, Raw>();
  const podProps = (p: PodInterval): Properties => ({
    cluster: CLUSTER_ID,
    node: p.node,
    namespace: p.namespace,
    pod: p.pod,
    ...(p.controller ? { controller: p.controller, controllerKind: p.controllerKind } : {}),
    providerID: p.node,
    labels: Object.fromEntries(Object.entries(p.labels).map(([k, v]) => [sanitizeLabel(k), v])),
  });
  for (const p of history.podIntervals()) {
    const from = Math.max(p.start, set.start);
    const to = Math.min(p.end ?? now, set.end);
    if (!(to > from)) continue;
    const hours = (to - from) / HOUR;
    const key = `${p.node}/${p.namespace}/${p.pod}`;
    const raw = pods.get(key) ?? emptyRaw(p.pod, podProps(p), false, from, to);
    pods.set(key, raw);
    const gpuPrice = prices.gpuHourCents[gpuTypeOf(p.node, from) ?? ""] ?? 0;
    mergeInto(raw, {
      ...emptyRaw(p.pod, raw.properties, false, from, to),
      cpuCoreHours: p.cpuCores * hours,
      gpuHours: p.gpus * hours,
      ramByteHours: p.ramBytes * hours,
      pvByteHours: p.pvBytes * hours,
      cpuCost: dollars(p.cpuCores * hours, prices.cpuCoreHourCents),
      gpuCost: dollars(p.gpus * hours, gpuPrice),
      ramCost: dollars((p.ramBytes / GIB) * hours, prices.ramGiBHourCents),
      pvCost: dollars((p.pvBytes / GIB) * hours, prices.pvGiBHourCents),
    });
  }

  const capacity = new Map<string, Raw>();
  for (const n of nodes) {
    const from = Math.max(n.start, set.start);
    const to = Math.min(n.end ?? now, set.end);
    if (!(to > from)) continue;
    const hours = (to - from) / HOUR;
    const raw = capacity.get(n.node) ?? emptyRaw(`${n.node}/${IDLE}`, { cluster: CLUSTER_ID, node: n.node, providerID: n.node }, true, from, to);
    capacity.set(n.node, raw);
    mergeInto(raw, {
      ...emptyRaw(raw.name, raw.properties, true, from, to),
      cpuCoreHours: n.cpuCores * hours,
      gpuHours: n.gpuCount * hours,
      ramByteHours: n.ramBytes * hours,
      cpuCost: dollars(n.cpuCores * hours, prices.cpuCoreHourCents),
      gpuCost: dollars(n.gpuCount * hours, prices.gpuHourCents[n.gpuType ?? ""] ?? 0),
      ramCost: dollars((n.ramBytes / GIB) * hours, prices.ramGiBHourCents),
    });
  }
  for (const pod of pods.values()) {
    const node = capacity.get(pod.properties.node ?? "");
    if (!node) continue;
    for (const f of ["cpuCoreHours", "gpuHours", "ramByteHours", "cpuCost", "gpuCost", "ramCost"] as const) node[f] -= pod[f];
  }
  const idle = [...capacity.values()];
  for (const node of idle) for (const f of ["cpuCoreHours", "gpuHours", "ramByteHours", "cpuCost", "gpuCost", "ramCost"] as const) node[f] = Math.max(0, node[f]);
  return { pods: [...pods.values()], idle };
}

/** Distributes idle into the pods' resource costs; returns the idle nobody could take. */
function shareIdle(pods: Raw[], idle: Raw[], byNode: boolean): Raw[] {
  const groupOf = (r: Raw) => (byNode ? (r.properties.node ?? "") : r.properties.cluster);
  const left = idle.map((r) => ({ ...r, properties: { ...r.properties } }));
  for (const res of RESOURCES) {
    const totals = new Map<string, number>();
    for (const p of pods) totals.set(groupOf(p), (totals.get(groupOf(p)) ?? 0) + costOf(p, res));
    const pool = new Map<string, number>();
    for (const i of left) {
      if (!((totals.get(groupOf(i)) ?? 0) > 0)) continue;
      pool.set(groupOf(i), (pool.get(groupOf(i)) ?? 0) + costOf(i, res));
      addCost(i, res, -costOf(i, res));
    }
    for (const p of pods) {
      const total = totals.get(groupOf(p)) ?? 0;
      if (total > 0) addCost(p, res, ((pool.get(groupOf(p)) ?? 0) * costOf(p, res)) / total);
    }
  }
  return left.filter((i) => i.cpuCost > 0 || i.gpuCost > 0 || i.ramCost > 0);
}

function keyOf(r: Raw, aggregate: string[]): string {
  if (aggregate.length === 0) return [r.properties.cluster, r.properties.node, r.properties.namespace, r.properties.pod].join("/");
  return aggregate
    .map((agg) => {
      if (agg === "all") return "";
      if (agg.startsWith("label:")) {
        const name = sanitizeLabel(agg.slice("label:".length));
        const value = r.properties.labels?.[name];
        return value === undefined ? UNALLOCATED : `${name}=${value}`;
      }
      return (r.properties[agg as Exclude<(typeof AGGREGATE_FIELDS)[number], "all">] as string | undefined) ?? UNALLOCATED;
    })
    .join("/");
}

function aggregateSet(pods: Raw[], idle: Raw[], q: AllocationQuery): Map<string, Raw> {
  const out = new Map<string, Raw>();
  const put = (key: string, r: Raw) => {
    const existing = out.get(key);
    if (!existing) out.set(key, { ...r, name: key, properties: { ...r.properties } });
    else {
      mergeInto(existing, r);
      existing.properties = intersect(existing.properties, r.properties);
    }
  };
  for (const p of pods) if (!q.filter || q.filter(p.properties)) put(keyOf(p, q.aggregate) || p.properties.cluster, p);
  for (const i of idle) if (!q.filter || q.filter(i.properties)) put(q.idleByNode ? `${i.properties.node}/${IDLE}` : IDLE, i);
  return out;
}

const round6 = (x: number) => {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r;
};

/** The JSON allocation, field for field as OpenCost's `/allocation/compute` returns it. */
function render(r: Raw, set: TimeWindow): Record<string, unknown> {
  const hours = (r.end - r.start) / HOUR;
  const avg = (unitHours: number) => (hours > 0 ? unitHours / hours : 0);
  const { labels, ...props } = r.properties;
  const properties = Object.fromEntries(Object.entries({ ...props, ...(labels && Object.keys(labels).length ? { labels } : {}) }).filter(([, v]) => v !== undefined && v !== ""));
  const totalCost = r.cpuCost + r.gpuCost + r.ramCost + r.pvCost;
  return {
    name: r.name,
    properties,
    window: { start: rfc3339String(set.start), end: rfc3339String(set.end) },
    start: rfc3339String(r.start),
    end: rfc3339String(r.end),
    minutes: round6((r.end - r.start) / MINUTE),
    cpuCores: round6(avg(r.cpuCoreHours)),
    cpuCoreRequestAverage: round6(avg(r.cpuCoreHours)),
    cpuCoreUsageAverage: 0,
    cpuCoreHours: round6(r.cpuCoreHours),
    cpuCost: round6(r.cpuCost),
    cpuCostAdjustment: 0,
    cpuEfficiency: 0,
    gpuCount: round6(avg(r.gpuHours)),
    gpuHours: round6(r.gpuHours),
    gpuCost: round6(r.gpuCost),
    gpuCostAdjustment: 0,
    networkTransferBytes: 0,
    networkReceiveBytes: 0,
    networkCost: 0,
    networkCostAdjustment: 0,
    loadBalancerCost: 0,
    loadBalancerCostAdjustment: 0,
    pvBytes: round6(avg(r.pvByteHours)),
    pvByteHours: round6(r.pvByteHours),
    pvCost: round6(r.pvCost),
    pvs: null,
    pvCostAdjustment: 0,
    ramBytes: round6(avg(r.ramByteHours)),
    ramByteRequestAverage: round6(avg(r.ramByteHours)),
    ramByteUsageAverage: 0,
    ramByteHours: round6(r.ramByteHours),
    ramCost: round6(r.ramCost),
    ramCostAdjustment: 0,
    ramEfficiency: 0,
    sharedCost: 0,
    externalCost: 0,
    totalCost: round6(totalCost),
    totalEfficiency: 0,
    rawAllocationOnly: null,
  };
}

/** The step windows: consecutive sets of `step` from the window's start until it is covered (OpenCost does not trim the last one). */
export function stepWindows(window: TimeWindow, step: number | undefined): TimeWindow[] {
  const size = step ?? window.end - window.start;
  const sets: TimeWindow[] = [];
  for (let start = window.start; start < window.end; start += size) sets.push({ start, end: start + size });
  return sets;
}

/** `data` of the `/allocation/compute` response: one object per set, keyed by allocation name. */
export function computeAllocation(history: ClusterHistory, prices: PriceTable, q: AllocationQuery, now: number): Array<Record<string, Record<string, unknown>>> {
  const windows = stepWindows(q.window, q.step);
  const sets = windows.map((w) => {
    const { pods, idle } = computeSet(history, prices, w, now);
    const undistributed = q.shareIdle ? shareIdle(pods, idle, q.idleByNode) : q.includeIdle ? idle : [];
    return aggregateSet(pods, undistributed, q);
  });
  if (q.accumulate && windows.length > 0) {
    const total = new Map<string, Raw>();
    for (const set of sets) {
      for (const [key, r] of set) {
        const existing = total.get(key);
        if (!existing) total.set(key, { ...r, properties: { ...r.properties } });
        else {
          mergeInto(existing, r);
          existing.properties = intersect(existing.properties, r.properties);
        }
      }
    }
    const whole = { start: windows[0]!.start, end: windows.at(-1)!.end };
    return [renderSet(total, whole)];
  }
  return sets.map((set, i) => renderSet(set, windows[i]!));
}

function renderSet(set: Map<string, Raw>, window: TimeWindow): Record<string, Record<string, unknown>> {
  const keys = [...set.keys()].sort();
  return Object.fromEntries(keys.map((k) => [k, render(set.get(k)!, window)]));
}
