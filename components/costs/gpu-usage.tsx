import type { TenantCostPage } from "@/lib/costs/tenant-cost-page";
import { hours, money, percent } from "./format";

type Props = { gpu: TenantCostPage["gpu"]; gpuCents: number; currency: string };

/**
 * What the tenant paid for (GPU-hours requested, OpenCost) against what it used (DCGM
 * utilization): the unused share of the GPU cost is the money spent on idle reservations.
 */
export function GpuUsage({ gpu, gpuCents, currency }: Props) {
  const unusedCents = gpu.utilizationPct === null ? null : Math.round((gpuCents * (100 - Math.min(100, gpu.utilizationPct))) / 100);
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4" data-testid="gpu-usage">
      <dt className="text-muted-foreground">GPU-hours requested</dt>
      <dd className="tabular-nums">{hours(gpu.hoursRequested)}</dd>
      <dt className="text-muted-foreground">GPU utilization (DCGM)</dt>
      <dd className="tabular-nums">{gpu.utilizationPct === null ? `not available${gpu.utilizationUnavailable ? `: ${gpu.utilizationUnavailable}` : ""}` : percent(gpu.utilizationPct)}</dd>
      <dt className="text-muted-foreground">GPU cost</dt>
      <dd className="tabular-nums">{money(gpuCents, currency)}</dd>
      <dt className="text-muted-foreground">Paid for, not used</dt>
      <dd className="tabular-nums">{unusedCents === null ? "—" : `${money(unusedCents, currency)} (${hours((gpu.hoursRequested * (100 - Math.min(100, gpu.utilizationPct!))) / 100)} GPU-h)`}</dd>
    </dl>
  );
}
