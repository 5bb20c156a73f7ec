"use client";

import { DashboardView } from "@/components/dashboards/dashboard-view";
import { SloForm } from "@/components/dashboards/slo-form";
import { SloTile } from "@/components/dashboards/slo-tile";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { readSloMs, type SloTargets } from "@/lib/dashboards/slo";
import type { PanelDef } from "@/lib/metrics/types";

type Props = { tenantId: string; deployment: string; panels: PanelDef[]; defaults: SloTargets };

// Share of requests that must meet the latency thresholds for the tile to be green.
const OBJECTIVE = 0.99;
const SLO_PANELS = new Set(["slo-ttft", "slo-itl"]);

export function ModelClient({ tenantId, deployment, panels, defaults }: Props) {
  const { search, setParams } = useDashboardUrl();
  const ttftMs = readSloMs(search.get("ttft"), defaults.ttftMs);
  const itlMs = readSloMs(search.get("itl"), defaults.itlMs);

  return (
    <DashboardView
      dashboard="model"
      panels={panels.filter((p) => !SLO_PANELS.has(p.id))}
      params={{ namespace: tenantId, deployment, ttftSloMs: ttftMs, itlSloMs: itlMs }}
      extras={(def, data) =>
        // "Went live" lines on the replica chart, next to the autoscaler's own markers.
        def.unit === "replicas" && data?.liveMarkers?.length
          ? { markers: data.liveMarkers.map((m) => ({ time: m.time, label: m.label, kind: "live" as const, href: m.href })) }
          : undefined
      }
    >
      {(_data, results) => {
        const result = (id: string) => results?.find((r) => r.panelId === id);
        return (
          <section aria-labelledby="slo-heading" className="grid gap-3">
            <h2 id="slo-heading" className="text-lg font-semibold tracking-tight">
              Latency objectives
            </h2>
            <SloForm
              ttftMs={ttftMs}
              itlMs={itlMs}
              defaults={defaults}
              onApply={(next) =>
                setParams({
                  ttft: next.ttftMs === defaults.ttftMs ? null : String(next.ttftMs),
                  itl: next.itlMs === defaults.itlMs ? null : String(next.itlMs),
                })
              }
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <SloTile testId="slo-tile-ttft" title="Time to first token" threshold={`TTFT ≤ ${ttftMs} ms`} objective={OBJECTIVE} result={result("slo-ttft")} />
              <SloTile testId="slo-tile-itl" title="Inter-token latency" threshold={`ITL ≤ ${itlMs} ms`} objective={OBJECTIVE} result={result("slo-itl")} />
            </div>
          </section>
        );
      }}
    </DashboardView>
  );
}
