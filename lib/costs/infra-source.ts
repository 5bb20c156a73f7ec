import type { Allocation, OpenCostClient } from "@/lib/integrations/opencost/client";
import { microsToCents } from "@/lib/integrations/opencost/money";

/**
 * What the cost domain needs from OpenCost, already in integer cents. Kept as a port so the
 * snapshot job and the live figures are testable without HTTP; `opencostInfraSource` implements it
 * over the allocation client (`lib/integrations/opencost`).
 */
export type InfraCosts = {
  gpuMilliHours: number;
  gpuCostCents: number;
  cpuCostCents: number;
  ramCostCents: number;
  pvCostCents: number;
};
export type Window = { start: Date; end: Date };
export type IdleSharing = "none" | "proportional" | "by-node";
export type ModelGpuCost = { namespace: string; model: string; gpuMilliHours: number; gpuCostCents: number };

export type InfraCostSource = {
  /** Allocation of the window aggregated by namespace; unshared idle appears as "__idle__". */
  byNamespace(window: Window, share: { shareIdle: boolean; idleByNode: boolean }): Promise<Map<string, InfraCosts>>;
  /** GPU cost of each model's pods per namespace (aggregate by namespace and the model label). */
  byModel(window: Window): Promise<ModelGpuCost[]>;
  /** OpenCost's own cluster total over the same categories (aggregate=cluster, idle included). */
  clusterTotalCents(window: Window): Promise<number>;
};

export const IDLE = "__idle__";
/**
 * The GitOps templates label model-server pods `portal.inference-platform.io/model: <catalog id>`.
 * OpenCost keys labels the way Prometheus does (kube-state-metrics' `label_*`): every character
 * outside [a-zA-Z0-9_] becomes `_`. Aggregating by the raw key would find no pod at all.
 */
export const MODEL_LABEL = "portal_inference_platform_io_model";
const UNALLOCATED = "__unallocated__";

/**
 * Micro-dollars → cents once per category (OpenCost's adjustments are already folded in by the
 * client). This is the ingestion rounding the reconciliation tolerance accounts for.
 */
export function toInfraCosts(a: Pick<Allocation, "gpuHours" | "gpuCostMicros" | "cpuCostMicros" | "ramCostMicros" | "pvCostMicros">): InfraCosts {
  return {
    gpuMilliHours: Math.round(a.gpuHours * 1000),
    gpuCostCents: microsToCents(a.gpuCostMicros),
    cpuCostCents: microsToCents(a.cpuCostMicros),
    ramCostCents: microsToCents(a.ramCostMicros),
    pvCostCents: microsToCents(a.pvCostMicros),
  };
}

export const infraTotal = (c: InfraCosts) => c.gpuCostCents + c.cpuCostCents + c.ramCostCents + c.pvCostCents;

export function idleShareFlags(sharing: IdleSharing): { shareIdle: boolean; idleByNode: boolean } {
  return { shareIdle: sharing !== "none", idleByNode: sharing === "by-node" };
}

/**
 * `<namespace>/<label>=<value>` (OpenCost's key for `aggregate=namespace,label:<label>`) → its
 * parts; null for pods without the label (`__unallocated__`) and for idle. Namespaces and label
 * values cannot contain `/`, so the first `/` separates them.
 */
export function parseModelKey(key: string): { namespace: string; model: string } | null {
  const slash = key.indexOf("/");
  if (slash <= 0) return null;
  const namespace = key.slice(0, slash);
  const rest = key.slice(slash + 1);
  const prefix = `${MODEL_LABEL}=`;
  if (!rest.startsWith(prefix)) return null; // __unallocated__, __idle__
  const model = rest.slice(prefix.length);
  if (!model || namespace.startsWith("__") || model === UNALLOCATED) return null;
  return { namespace, model };
}

/** The port over OpenCost's allocation API: one accumulated set per call. */
export function opencostInfraSource(client: Pick<OpenCostClient, "allocation">): InfraCostSource {
  const allocations = async (window: Window, params: Omit<Parameters<OpenCostClient["allocation"]>[0], "window" | "accumulate">): Promise<Allocation[]> => {
    const sets = await client.allocation({ window, accumulate: true, ...params });
    return sets.flatMap((set) => Object.values(set.allocations));
  };
  return {
    async byNamespace(window, share) {
      const rows = await allocations(window, { aggregate: "namespace", includeIdle: true, ...share });
      return new Map(rows.map((a) => [a.name, toInfraCosts(a)]));
    },
    async byModel(window) {
      const rows = await allocations(window, { aggregate: ["namespace", `label:${MODEL_LABEL}`], includeIdle: false });
      return rows.flatMap((a) => {
        const key = parseModelKey(a.name);
        if (!key) return [];
        const c = toInfraCosts(a);
        return [{ ...key, gpuMilliHours: c.gpuMilliHours, gpuCostCents: c.gpuCostCents }];
      });
    },
    async clusterTotalCents(window) {
      const rows = await allocations(window, { aggregate: "cluster", includeIdle: true, shareIdle: false });
      // Summed per category in micro-dollars over the cluster's entries (its allocation and its
      // idle), then rounded once per category.
      const sum = { gpuHours: 0, gpuCostMicros: 0, cpuCostMicros: 0, ramCostMicros: 0, pvCostMicros: 0 };
      for (const a of rows) {
        sum.gpuCostMicros += a.gpuCostMicros;
        sum.cpuCostMicros += a.cpuCostMicros;
        sum.ramCostMicros += a.ramCostMicros;
        sum.pvCostMicros += a.pvCostMicros;
      }
      return infraTotal(toInfraCosts(sum));
    },
  };
}
