import { IDLE, infraTotal, type IdleSharing, type InfraCosts } from "./infra-source";

export const OTHER = "__other__";
export type InfraRow = InfraCosts & { tenantId: string; idleShareCents: number };

const zero = (): InfraCosts => ({ gpuMilliHours: 0, gpuCostCents: 0, cpuCostCents: 0, ramCostCents: 0, pvCostCents: 0 });
const add = (a: InfraCosts, b: InfraCosts): InfraCosts => ({
  gpuMilliHours: a.gpuMilliHours + b.gpuMilliHours,
  gpuCostCents: a.gpuCostCents + b.gpuCostCents,
  cpuCostCents: a.cpuCostCents + b.cpuCostCents,
  ramCostCents: a.ramCostCents + b.ramCostCents,
  pvCostCents: a.pvCostCents + b.pvCostCents,
});

/**
 * One day's infrastructure rows: one per tenant, "__other__" for namespaces that are not tenants
 * and "__idle__" for idle nobody was charged. Categories come from the unshared allocation; a
 * namespace's idle share is (its shared total − its unshared total), i.e. what OpenCost moved
 * onto it. The idle row carries the idle categories and, as a negative idle share, what was given
 * away, so every row's total sums to the unshared cluster by construction.
 */
export function infraDayRows(input: {
  unshared: Map<string, InfraCosts>;
  shared: Map<string, InfraCosts> | null;
  sharing: IdleSharing;
  tenantIds: ReadonlySet<string>;
}): InfraRow[] {
  const rows = new Map<string, InfraRow>();
  let other = zero();
  let otherShare = 0;
  let given = 0;
  for (const [name, costs] of input.unshared) {
    if (name === IDLE) continue;
    const sharedCosts = input.sharing === "none" ? undefined : input.shared?.get(name);
    const idleShareCents = sharedCosts ? infraTotal(sharedCosts) - infraTotal(costs) : 0;
    given += idleShareCents;
    if (input.tenantIds.has(name)) rows.set(name, { tenantId: name, ...costs, idleShareCents });
    else {
      other = add(other, costs);
      otherShare += idleShareCents;
    }
  }
  const idle = input.unshared.get(IDLE) ?? zero();
  return [
    ...[...rows.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
    { tenantId: OTHER, ...other, idleShareCents: otherShare },
    { tenantId: IDLE, ...idle, idleShareCents: -given },
  ];
}

export const rowTotal = (r: InfraRow) => infraTotal(r) + r.idleShareCents;
