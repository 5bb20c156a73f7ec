"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/forms/api";
import { Alert } from "@/components/ui/alert";
import type { PanelResult, TimeRange } from "@/lib/metrics/types";
import { TimeSeriesChartLoader } from "./chart-loaders";

type Signals = { range: TimeRange | null; panels: PanelResult[]; reason?: string };
const TITLES: Record<string, string> = { waiting: "Queue depth (waiting)", "kv-cache": "KV-cache usage", running: "Requests running", "gpu-util": "GPU utilization", replicas: "Replicas" };

/** The deployment's server-side signals over the run's window, stacked on one time axis. */
export function SignalsPanel({ runId, stepWindows }: { runId: string; stepWindows: { label: string; startMs: number | null }[] }) {
  const query = useQuery({ queryKey: ["benchmark-signals", runId], queryFn: () => apiFetch<Signals>(`/api/benchmarks/${runId}/signals`) });
  if (query.isPending) return <p className="text-sm text-muted-foreground">Loading server signals…</p>;
  if (query.error) return <Alert variant="destructive">{query.error.message}</Alert>;
  const { range, panels, reason } = query.data;
  if (!range || reason) return <p className="text-sm text-muted-foreground">{reason ?? "No window to show."}</p>;
  // Step boundaries as markers: the latency curves above are per step, these per time.
  const markers = stepWindows.filter((w) => w.startMs !== null).map((w) => ({ time: Math.floor(w.startMs! / 1000), label: w.label, kind: "autoscale" as const }));
  return (
    <div className="grid gap-2" data-testid="server-signals">
      {panels.map((p) => (
        <div key={p.panelId}>
          <p className="text-xs font-medium text-muted-foreground">{TITLES[p.panelId] ?? p.panelId}</p>
          {p.data ? (
            <TimeSeriesChartLoader series={p.data.series} unit={p.data.unit} range={range} markers={markers} ariaLabel={`${TITLES[p.panelId] ?? p.panelId} during the run`} height={140} />
          ) : (
            <p className="text-xs text-destructive">{p.error?.message ?? "No data"}</p>
          )}
        </div>
      ))}
    </div>
  );
}
