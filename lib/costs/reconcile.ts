import { sumCents } from "./money";

export type Reconciliation = {
  tenantsCents: number;
  /** Namespaces that are not tenants (platform components). */
  otherCents: number;
  unallocatedIdleCents: number;
  clusterTotalCents: number;
  /** (tenants + other + unallocated idle) − cluster total. */
  differenceCents: number;
  /** Allowed difference: each category was rounded once per namespace and day (≤ ½ cent each). */
  toleranceCents: number;
  ok: boolean;
};

/**
 * Tenants + other namespaces + unallocated idle must equal the cluster total OpenCost reports on
 * its own. The only admissible gap is the per-category rounding to cents at ingestion.
 */
export function reconcile(input: { tenantCents: number[]; otherCents: number; unallocatedIdleCents: number; clusterTotalCents: number; roundedTerms: number }): Reconciliation {
  const tenantsCents = sumCents(input.tenantCents);
  const differenceCents = tenantsCents + input.otherCents + input.unallocatedIdleCents - input.clusterTotalCents;
  const toleranceCents = Math.ceil(input.roundedTerms / 2);
  return {
    tenantsCents,
    otherCents: input.otherCents,
    unallocatedIdleCents: input.unallocatedIdleCents,
    clusterTotalCents: input.clusterTotalCents,
    differenceCents,
    toleranceCents,
    ok: Math.abs(differenceCents) <= toleranceCents,
  };
}
