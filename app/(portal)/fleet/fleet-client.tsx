"use client";

import { DashboardView } from "@/components/dashboards/dashboard-view";
import { DeploymentsTable } from "@/components/dashboards/deployments-table";
import { ScalingSignalNote } from "@/components/dashboards/scaling-signal-note";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { useDeployments } from "@/components/dashboards/use-deployments";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { PanelDef } from "@/lib/metrics/types";

type Props = { panels: PanelDef[]; scalingSignal?: PanelDef };

export function FleetClient({ panels, scalingSignal }: Props) {
  const { search, selection, setParams } = useDashboardUrl();
  const deployments = useDeployments(selection);
  const list = deployments.data ?? [];
  // The scaling signal is about one deployment: the one in the URL, else the first listed.
  const chosen =
    list.find((d) => d.namespace === search.get("namespace") && d.deployment === search.get("deployment")) ?? list[0];

  return (
    <DashboardView dashboard="fleet" panels={panels}>
      {() => (
        <div className="grid gap-6">
          <section aria-labelledby="deployments-heading">
            <Card className="gap-3 py-4">
              <CardHeader className="px-4">
                <CardTitle asHeading="h2" id="deployments-heading">
                  Deployments
                </CardTitle>
              </CardHeader>
              <CardContent className="px-4">
                {deployments.isPending ? <Skeleton className="h-24 w-full" /> : null}
                {deployments.isError ? <p className="text-sm text-destructive">{deployments.error.message}</p> : null}
                {deployments.data?.length === 0 ? <p className="text-sm text-muted-foreground">No deployment reported metrics in this range.</p> : null}
                {list.length ? <DeploymentsTable deployments={list} showNamespace /> : null}
              </CardContent>
            </Card>
          </section>
          {chosen && scalingSignal ? (
            // The model dashboard's scaling-signal panel, for the chosen deployment, with the fleet's range.
            <DashboardView
              embedded
              dashboard="model"
              panels={[{ ...scalingSignal, group: "Autoscaling" }]}
              params={{ namespace: chosen.namespace, deployment: chosen.deployment, panels: scalingSignal.id }}
              extras={() => ({
                note: (
                  <ScalingSignalNote
                    deployments={list}
                    value={`${chosen.namespace}/${chosen.deployment}`}
                    onChange={(namespace, deployment) => setParams({ namespace, deployment })}
                  />
                ),
              })}
            />
          ) : null}
        </div>
      )}
    </DashboardView>
  );
}
