import { Alert } from "@/components/ui/alert";
import type { Reconciliation } from "@/lib/costs/reconcile";
import { money } from "./format";

/** "Tenants + other namespaces + unallocated idle = cluster total", with the numbers. */
export function ReconciliationLine({ reconciliation: r, currency }: { reconciliation: Reconciliation; currency: string }) {
  const line = (
    <span data-testid="reconciliation">
      Tenants {money(r.tenantsCents, currency)} + other namespaces {money(r.otherCents, currency)} + unallocated idle{" "}
      {money(r.unallocatedIdleCents, currency)} = {money(r.tenantsCents + r.otherCents + r.unallocatedIdleCents, currency)}; OpenCost cluster total{" "}
      {money(r.clusterTotalCents, currency)}
    </span>
  );
  if (r.ok) {
    return (
      <p className="text-sm text-muted-foreground">
        {line} — reconciled (difference {money(r.differenceCents, currency)}, within the rounding tolerance of {money(r.toleranceCents, currency)}).
      </p>
    );
  }
  return (
    <Alert variant="warning">
      <p>
        {line}. These do not reconcile: the difference is {money(r.differenceCents, currency)}, more than the rounding tolerance of{" "}
        {money(r.toleranceCents, currency)}. A day may be missing from the snapshots, or OpenCost changed its figures after they were taken.
      </p>
    </Alert>
  );
}
