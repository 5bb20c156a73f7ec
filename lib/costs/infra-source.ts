import { z } from "zod";
import { dollarsToCents } from "./money";

/**
 * What the cost domain needs from OpenCost, already in integer cents. Kept as a port so the
 * snapshot job is testable without HTTP; `openCostSource` implements it over the allocation API.
 * TODO(E1): once `lib/integrations/opencost` lands, implement this port with its client instead.
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

export type InfraCostSource = {
  /** Allocation of the window aggregated by namespace; unshared idle appears as "__idle__". */
  byNamespace(window: Window, share: { shareIdle: boolean; idleByNode: boolean }): Promise<Map<string, InfraCosts>>;
  /** GPU cost of each model's pods per namespace (aggregate by namespace and the model label). */
  byModel(window: Window): Promise<Array<{ namespace: string; model: string; gpuMilliHours: number; gpuCostCents: number }>>;
  /** OpenCost's own cluster total over the same categories (aggregate=cluster, idle included). */
  clusterTotalCents(window: Window): Promise<number>;
};

export const IDLE = "__idle__";
/** The pod label the GitOps templates put the model name in, as OpenCost spells label keys. */
export const MODEL_LABEL = "inference_platform_io_model";

const allocationSchema = z.looseObject({
  name: z.string(),
  properties: z.looseObject({ namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }).optional(),
  gpuHours: z.number().nullable().optional(),
  gpuCost: z.number().nullable().optional(),
  gpuCostAdjustment: z.number().nullable().optional(),
  cpuCost: z.number().nullable().optional(),
  cpuCostAdjustment: z.number().nullable().optional(),
  ramCost: z.number().nullable().optional(),
  ramCostAdjustment: z.number().nullable().optional(),
  pvCost: z.number().nullable().optional(),
  pvCostAdjustment: z.number().nullable().optional(),
});
export const allocationResponseSchema = z.looseObject({
  code: z.number().optional(),
  data: z.array(z.record(z.string(), allocationSchema).nullable()),
});
export type Allocation = z.infer<typeof allocationSchema>;

const n = (v: number | null | undefined) => v ?? 0;

/** OpenCost's float dollars → cents, once per category (adjustments included, as OpenCost totals them). */
export function toInfraCosts(a: Allocation): InfraCosts {
  return {
    gpuMilliHours: Math.round(n(a.gpuHours) * 1000),
    gpuCostCents: dollarsToCents(n(a.gpuCost) + n(a.gpuCostAdjustment)),
    cpuCostCents: dollarsToCents(n(a.cpuCost) + n(a.cpuCostAdjustment)),
    ramCostCents: dollarsToCents(n(a.ramCost) + n(a.ramCostAdjustment)),
    pvCostCents: dollarsToCents(n(a.pvCost) + n(a.pvCostAdjustment)),
  };
}

export const infraTotal = (c: InfraCosts) => c.gpuCostCents + c.cpuCostCents + c.ramCostCents + c.pvCostCents;

export function idleShareFlags(sharing: IdleSharing): { shareIdle: boolean; idleByNode: boolean } {
  return { shareIdle: sharing !== "none", idleByNode: sharing === "by-node" };
}

/** A thin HTTP implementation over OpenCost's /allocation/compute (accumulate=true, one set). */
export function openCostSource(baseUrl: string, timeoutMs = 10_000, doFetch: typeof fetch = fetch): InfraCostSource {
  async function allocation(window: Window, params: Record<string, string>): Promise<Allocation[]> {
    const q = new URLSearchParams({ window: `${window.start.toISOString().replace(".000Z", "Z")},${window.end.toISOString().replace(".000Z", "Z")}`, accumulate: "true", ...params });
    const response = await doFetch(`${baseUrl.replace(/\/+$/, "")}/allocation/compute?${q}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`OpenCost answered ${response.status}`);
    const body = allocationResponseSchema.parse(await response.json());
    return body.data.flatMap((set) => Object.values(set ?? {}));
  }
  return {
    async byNamespace(window, share) {
      const rows = await allocation(window, { aggregate: "namespace", includeIdle: "true", shareIdle: String(share.shareIdle), idleByNode: String(share.idleByNode) });
      return new Map(rows.map((a) => [a.name, toInfraCosts(a)]));
    },
    async byModel(window) {
      const rows = await allocation(window, { aggregate: `namespace,label:${MODEL_LABEL}`, includeIdle: "false" });
      return rows.flatMap((a) => {
        const [namespace, model] = a.name.split("/");
        if (!namespace || !model || model.startsWith("__")) return [];
        const c = toInfraCosts(a);
        return [{ namespace, model, gpuMilliHours: c.gpuMilliHours, gpuCostCents: c.gpuCostCents }];
      });
    },
    async clusterTotalCents(window) {
      const rows = await allocation(window, { aggregate: "cluster", includeIdle: "true", shareIdle: "false" });
      // Summed per category over the cluster's entries (its allocation and its idle), each rounded once.
      const sum = { gpuCostCents: 0, cpuCostCents: 0, ramCostCents: 0, pvCostCents: 0, gpuMilliHours: 0 };
      for (const a of rows) {
        const c = toInfraCosts(a);
        sum.gpuCostCents += c.gpuCostCents;
        sum.cpuCostCents += c.cpuCostCents;
        sum.ramCostCents += c.ramCostCents;
        sum.pvCostCents += c.pvCostCents;
      }
      return infraTotal(sum);
    },
  };
}
