import { env } from "@/lib/config/env";
import { callJson } from "@/lib/integrations/http";
import { dollarsToMicros } from "./money";
import { allocationResponseSchema, type OpenCostAllocation } from "./schemas";

export type OpenCostConfig = { baseUrl: string; timeoutMs: number };

/** A window as OpenCost's grammar (`month`, `7d`, …) or an explicit [start, end) in whole seconds. */
export type AllocationWindow = { start: Date; end: Date } | string;

export type AllocationParams = {
  window: AllocationWindow;
  /** `namespace`, `label:team`, `["namespace", "label:app"]`, … */
  aggregate: string | readonly string[];
  /** Set length, e.g. `1d`; default one set for the whole window. */
  step?: string;
  accumulate?: boolean;
  includeIdle?: boolean;
  shareIdle?: boolean;
  idleByNode?: boolean;
  /** OpenCost v2 filter, e.g. `namespace:"acme"`. */
  filter?: string;
};

/**
 * One allocation with money in integer micro-dollars (see ./money.ts). Each cost includes its
 * OpenCost adjustment; `totalCostMicros` is the sum of the cost fields, so it always adds up.
 */
export type Allocation = {
  name: string;
  /** `__idle__`, or `<node>/__idle__` with idleByNode: capacity nobody requested. */
  isIdle: boolean;
  properties: NonNullable<OpenCostAllocation["properties"]>;
  window: { start: Date; end: Date };
  start: Date;
  end: Date;
  minutes: number;
  cpuCoreHours: number;
  gpuHours: number;
  gpuCount: number;
  ramByteHours: number;
  pvByteHours: number;
  cpuCostMicros: number;
  gpuCostMicros: number;
  ramCostMicros: number;
  pvCostMicros: number;
  networkCostMicros: number;
  loadBalancerCostMicros: number;
  sharedCostMicros: number;
  externalCostMicros: number;
  totalCostMicros: number;
};

export type AllocationSet = {
  /** The set's window (from its allocations); null for a set without allocations. */
  window: { start: Date; end: Date } | null;
  allocations: Record<string, Allocation>;
};

const IDLE = "__idle__";

function rfc3339(date: Date): string {
  if (!Number.isFinite(date.getTime())) throw new RangeError("window bound is not a valid date");
  // OpenCost's window grammar has no fractional seconds; silently truncating would move the window.
  if (date.getTime() % 1000 !== 0) throw new RangeError("window bounds must be whole seconds");
  return date.toISOString().replace(/\.000Z$/, "Z");
}

export function windowParam(window: AllocationWindow): string {
  if (typeof window === "string") return window;
  if (!(window.end.getTime() > window.start.getTime())) throw new RangeError("window end must be after its start");
  return `${rfc3339(window.start)},${rfc3339(window.end)}`;
}

function describeError(status: number, body: unknown): { message: string } {
  // OpenCost answers bad parameters with Go's http.Error: a plain-text line.
  const text = typeof body === "string" ? body : typeof body === "object" && body && "message" in body ? String(body.message) : "";
  return { message: text.trim() ? `OpenCost answered ${status}: ${text.trim().slice(0, 300)}` : `OpenCost answered ${status}` };
}

const cost = (value: number | null | undefined, adjustment?: number | null) => dollarsToMicros((value ?? 0) + (adjustment ?? 0));

export function toAllocation(a: OpenCostAllocation): Allocation {
  const costs = {
    cpuCostMicros: cost(a.cpuCost, a.cpuCostAdjustment),
    gpuCostMicros: cost(a.gpuCost, a.gpuCostAdjustment),
    ramCostMicros: cost(a.ramCost, a.ramCostAdjustment),
    pvCostMicros: cost(a.pvCost, a.pvCostAdjustment),
    networkCostMicros: cost(a.networkCost, a.networkCostAdjustment),
    loadBalancerCostMicros: cost(a.loadBalancerCost, a.loadBalancerCostAdjustment),
    sharedCostMicros: cost(a.sharedCost),
    externalCostMicros: cost(a.externalCost),
  };
  return {
    name: a.name,
    isIdle: a.name === IDLE || a.name.endsWith(`/${IDLE}`),
    properties: a.properties ?? {},
    window: { start: new Date(a.window.start), end: new Date(a.window.end) },
    start: new Date(a.start),
    end: new Date(a.end),
    minutes: a.minutes,
    cpuCoreHours: a.cpuCoreHours,
    gpuHours: a.gpuHours,
    gpuCount: a.gpuCount,
    ramByteHours: a.ramByteHours,
    pvByteHours: a.pvByteHours ?? 0,
    ...costs,
    totalCostMicros: Object.values(costs).reduce((sum, v) => sum + v, 0),
  };
}

/** Typed client for OpenCost's allocation API. No business rules here. */
export function createOpenCostClient(config: OpenCostConfig) {
  const base = config.baseUrl.replace(/\/+$/, "");
  return {
    /** `GET /allocation/compute`: one set per step (or one accumulated set), in order. */
    async allocation(params: AllocationParams): Promise<AllocationSet[]> {
      const query = new URLSearchParams({
        window: windowParam(params.window),
        aggregate: typeof params.aggregate === "string" ? params.aggregate : params.aggregate.join(","),
      });
      if (params.step) query.set("step", params.step);
      for (const flag of ["accumulate", "includeIdle", "shareIdle", "idleByNode"] as const) {
        if (params[flag] !== undefined) query.set(flag, String(params[flag]));
      }
      if (params.filter) query.set("filter", params.filter);
      const response = await callJson({
        system: "opencost",
        operation: "allocation_compute",
        url: `${base}/allocation/compute?${query}`,
        schema: allocationResponseSchema,
        timeoutMs: config.timeoutMs,
        idempotent: true,
        describeError,
      });
      return response.data.map((set) => {
        const allocations = Object.fromEntries(Object.entries(set ?? {}).map(([key, a]) => [key, toAllocation(a)]));
        const first = Object.values(allocations)[0];
        return { window: first ? first.window : null, allocations };
      });
    },
  };
}

export type OpenCostClient = ReturnType<typeof createOpenCostClient>;

const holder = globalThis as typeof globalThis & { __portalOpenCost?: OpenCostClient | null };

/**
 * The process's client from OPENCOST_URL / OPENCOST_TIMEOUT_MS, or null when OPENCOST_URL is
 * unset: infrastructure costs are then unavailable, and callers must say so rather than show 0.
 */
export function opencostFromEnv(): OpenCostClient | null {
  if (holder.__portalOpenCost === undefined) {
    const config = env();
    holder.__portalOpenCost = config.OPENCOST_URL ? createOpenCostClient({ baseUrl: config.OPENCOST_URL, timeoutMs: config.OPENCOST_TIMEOUT_MS }) : null;
  }
  return holder.__portalOpenCost;
}
