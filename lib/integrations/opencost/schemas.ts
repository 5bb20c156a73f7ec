import { z } from "zod";

/**
 * OpenCost's `/allocation/compute` response, as in the upstream swagger and its example
 * (`shared/reference/apis/opencost-*.json`). Fields the portal uses are required; the rest of
 * OpenCost's many fields pass through unchecked (`loose`) so a newer OpenCost that adds fields
 * does not break the portal.
 */
const finite = z.number().refine(Number.isFinite, "must be a finite number");
// OpenCost writes NaN/Inf as null in some versions (e.g. efficiencies of empty allocations).
const optionalNumber = finite.nullable().optional();
const timestamp = z.string().refine((s) => Number.isFinite(Date.parse(s)), "must be an RFC 3339 time");

export const allocationPropertiesSchema = z
  .object({
    cluster: z.string().optional(),
    node: z.string().optional(),
    namespace: z.string().optional(),
    pod: z.string().optional(),
    controller: z.string().optional(),
    controllerKind: z.string().optional(),
    providerID: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export const openCostAllocationSchema = z
  .object({
    name: z.string(),
    properties: allocationPropertiesSchema.nullable().optional(),
    window: z.object({ start: timestamp, end: timestamp }),
    start: timestamp,
    end: timestamp,
    minutes: finite,
    cpuCores: finite,
    cpuCoreHours: finite,
    cpuCost: finite,
    gpuCount: finite,
    gpuHours: finite,
    gpuCost: finite,
    ramBytes: finite,
    ramByteHours: finite,
    ramCost: finite,
    pvBytes: optionalNumber,
    pvByteHours: optionalNumber,
    pvCost: finite,
    cpuCostAdjustment: optionalNumber,
    gpuCostAdjustment: optionalNumber,
    ramCostAdjustment: optionalNumber,
    pvCostAdjustment: optionalNumber,
    networkCostAdjustment: optionalNumber,
    loadBalancerCostAdjustment: optionalNumber,
    networkCost: optionalNumber,
    loadBalancerCost: optionalNumber,
    sharedCost: optionalNumber,
    externalCost: optionalNumber,
    totalCost: finite,
    cpuEfficiency: optionalNumber,
    ramEfficiency: optionalNumber,
    totalEfficiency: optionalNumber,
  })
  .loose();

export const allocationResponseSchema = z.object({
  code: z.number().int(),
  status: z.string().optional(),
  message: z.string().optional(),
  // A set with no allocations comes back as {} (or null from some versions).
  data: z.array(z.record(z.string(), openCostAllocationSchema).nullable()),
});

export type OpenCostAllocation = z.infer<typeof openCostAllocationSchema>;
export type AllocationResponse = z.infer<typeof allocationResponseSchema>;
