import { Receipt } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import type { LiveMarker } from "@/lib/costs/costs-table";
import type { CostDataStatus } from "@/lib/costs/export/data-status";

type Props = { status: CostDataStatus; throughDay: string | null; live?: LiveMarker | null };

/** Empty and error states of the cost pages, in the order a reader needs them. */
export function CostsStates({ status, throughDay, live }: Props) {
  const liveProblems = live ? [live.infra, live.spend].flatMap((s) => (s.status === "unavailable" ? [s.reason] : [])) : [];
  return (
    <>
      {!status.opencostConfigured ? (
        <Alert variant="destructive" data-testid="opencost-error">
          OpenCost is not configured (OPENCOST_URL is unset): infrastructure costs are unavailable, not zero. Token spend from LiteLLM is still shown.
        </Alert>
      ) : status.infraStale && status.hasSnapshots ? (
        <Alert variant="warning" data-testid="opencost-error">
          OpenCost figures stop at {status.latestInfraDay ?? "no day"}: the worker could not reach OpenCost for the last closed day, or is not running. Infrastructure columns
          miss the days after that.
        </Alert>
      ) : null}
      {liveProblems.length ? (
        <Alert variant="warning" data-testid="live-error">
          Today&apos;s live figures are partly missing: {liveProblems.join("; ")}.
        </Alert>
      ) : null}
      {status.hasSnapshots ? (
        <p className="text-sm text-muted-foreground">
          Stored daily snapshots of closed days{throughDay ? ` through ${throughDay}` : ""} (UTC)
          {live ? `, plus today's live figures so far (as of ${live.asOf.slice(11, 16)} UTC, not stored)` : ""}.
        </p>
      ) : (
        <EmptyState
          icon={<Receipt />}
          title="No cost snapshots yet"
          description="The worker stores daily snapshots; the first appears after the first closed day (UTC midnight)."
          data-testid="costs-empty"
        />
      )}
    </>
  );
}
