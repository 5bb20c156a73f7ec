"use client";

import type { DashboardResponse } from "@/lib/dashboards/get-dashboard-data";
import type { DashboardId, PanelDef, PanelResult } from "@/lib/metrics/types";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { DashboardGrid, gridColumns } from "./dashboard-grid";
import { PrometheusBanner } from "./prometheus-banner";
import { RangePicker } from "./range-picker";
import type { ChartMarker } from "./time-series-chart";
import { useDashboardData } from "./use-dashboard-data";
import { useDashboardUrl } from "./use-dashboard-url";
import { useElementWidth } from "./use-element-width";

type Props = {
  dashboard: DashboardId;
  /** Panels drawn in the grid (a page may take some out to show them its own way). */
  panels: PanelDef[];
  params?: Record<string, string | number | undefined>;
  extras?: (def: PanelDef, data: DashboardResponse | undefined) => { note?: React.ReactNode; markers?: ChartMarker[] } | undefined;
  /** Drawn between the banner and the grid, with the same data (SLO tiles, tables). */
  children?: (data: DashboardResponse | undefined, results: PanelResult[] | undefined) => React.ReactNode;
  /** Inside another dashboard page: no range picker or banner of its own (the page has them). */
  embedded?: boolean;
};

/**
 * A dashboard page's body: range picker and auto-refresh (in the URL), the outage banner, then
 * the panels. If the request as a whole fails (a 4xx/5xx of our own API), every panel shows that
 * error instead of spinning forever.
 */
export function DashboardView({ dashboard, panels, params, extras, children, embedded = false }: Props) {
  const { selection, refresh, setSelection, setRefresh } = useDashboardUrl();
  const { ref, width } = useElementWidth<HTMLDivElement>(gridColumns);
  const query = useDashboardData({ dashboard, selection, refresh, width, params });
  const data = query.data;
  const failed = query.isError && !data ? query.error.message : null;
  const results: PanelResult[] | undefined = failed ? panels.map((p) => ({ panelId: p.id, error: { kind: "unexpected", message: failed } })) : data?.panels;

  return (
    <div className="grid gap-6">
      {embedded ? null : (
        <RangePicker selection={selection} refresh={refresh} onSelection={setSelection} onRefresh={setRefresh} step={data?.step} fetching={query.isFetching} />
      )}
      {data && !data.prometheus.ok && !embedded ? <PrometheusBanner message={data.prometheus.message} /> : null}
      {query.isError && data ? (
        <Alert variant="destructive">
          <AlertDescription>Refreshing failed: {query.error.message}. Showing the previous data.</AlertDescription>
        </Alert>
      ) : null}
      {children?.(data, results)}
      <DashboardGrid panels={panels} results={results} range={data?.range} gridRef={ref} extras={extras ? (def) => extras(def, data) : undefined} />
    </div>
  );
}
