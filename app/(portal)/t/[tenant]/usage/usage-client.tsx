"use client";

import { DashboardView } from "@/components/dashboards/dashboard-view";
import { DeploymentsTable } from "@/components/dashboards/deployments-table";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { useDeployments } from "@/components/dashboards/use-deployments";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { PanelDef } from "@/lib/metrics/types";

export function UsageClient({ tenantId, panels }: { tenantId: string; panels: PanelDef[] }) {
  const { selection } = useDashboardUrl();
  const deployments = useDeployments(selection, tenantId);
  return (
    // The namespace is the tenant the server page authorized; the API authorizes it again and
    // builds the Prometheus scope from it, never from anything else the browser sends.
    <DashboardView dashboard="tenant" panels={panels} params={{ namespace: tenantId }}>
      {() => (
        <section aria-labelledby="deployments-heading">
          <Card className="gap-3 py-4">
            <CardHeader className="px-4">
              <CardTitle asHeading="h2" id="deployments-heading">
                Deployments
              </CardTitle>
            </CardHeader>
            <CardContent className="px-4">
              {deployments.isPending ? <Skeleton className="h-16 w-full" /> : null}
              {deployments.isError ? <p className="text-sm text-destructive">{deployments.error.message}</p> : null}
              {deployments.data?.length === 0 ? <p className="text-sm text-muted-foreground">None of your deployments reported metrics in this range.</p> : null}
              {deployments.data?.length ? <DeploymentsTable deployments={deployments.data} showNamespace={false} /> : null}
            </CardContent>
          </Card>
        </section>
      )}
    </DashboardView>
  );
}
