"use client";

import { DashboardView } from "@/components/dashboards/dashboard-view";
import { DeploymentsCard } from "@/components/dashboards/deployments-card";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { useDeployments } from "@/components/dashboards/use-deployments";
import type { PanelDef } from "@/lib/metrics/types";

export function UsageClient({ tenantId, panels }: { tenantId: string; panels: PanelDef[] }) {
  const { selection } = useDashboardUrl();
  const deployments = useDeployments(selection, tenantId);
  return (
    // The namespace is the tenant the server page authorized; the API authorizes it again and
    // builds the Prometheus scope from it, never from anything else the browser sends.
    <DashboardView dashboard="tenant" panels={panels} params={{ namespace: tenantId }}>
      {() => (
        <DeploymentsCard deployments={deployments} showNamespace={false} emptyMessage="None of your deployments reported metrics in this range." skeletonClassName="h-16 w-full" />
      )}
    </DashboardView>
  );
}
