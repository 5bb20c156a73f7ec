"use client";

import { DashboardView } from "@/components/dashboards/dashboard-view";
import { DeploymentsCard } from "@/components/dashboards/deployments-card";
import { ScalingSignalNote } from "@/components/dashboards/scaling-signal-note";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { useDeployments } from "@/components/dashboards/use-deployments";
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
          <DeploymentsCard deployments={deployments} showNamespace emptyMessage="No deployment reported metrics in this range." />
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
