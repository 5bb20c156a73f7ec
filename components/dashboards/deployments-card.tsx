"use client";

import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { DeploymentsTable } from "./deployments-table";
import type { useDeployments } from "./use-deployments";

type Props = {
  deployments: ReturnType<typeof useDeployments>;
  /** Fleet lists every tenant's deployments; a tenant's own page leaves the namespace out. */
  showNamespace: boolean;
  emptyMessage: string;
  skeletonClassName?: string;
};

/** The "Deployments" section of a dashboard: loading, error, empty, or the table with links. */
export function DeploymentsCard({ deployments, showNamespace, emptyMessage, skeletonClassName = "h-24 w-full" }: Props) {
  return (
    <section aria-labelledby="deployments-heading">
      <Card className="gap-3 py-4">
        <CardHeader className="px-4">
          <CardTitle asHeading="h2" id="deployments-heading">
            Deployments
          </CardTitle>
        </CardHeader>
        <CardContent className="px-4">
          {deployments.isPending ? <Skeleton className={skeletonClassName} /> : null}
          {deployments.isError ? <p className="text-sm text-destructive">{deployments.error.message}</p> : null}
          {deployments.data?.length === 0 ? <p className="text-sm text-muted-foreground">{emptyMessage}</p> : null}
          {deployments.data?.length ? <DeploymentsTable deployments={deployments.data} showNamespace={showNamespace} /> : null}
        </CardContent>
      </Card>
    </section>
  );
}
