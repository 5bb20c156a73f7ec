"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/forms/api";
import type { DashboardResponse } from "@/lib/dashboards/get-dashboard-data";
import { rangeQuery, REFRESH_INTERVALS, type RangeSelection, type RefreshInterval } from "@/lib/dashboards/range";
import type { DashboardId } from "@/lib/metrics/types";

type Options = {
  dashboard: DashboardId;
  selection: RangeSelection;
  refresh: RefreshInterval;
  width: number | null;
  params?: Record<string, string | number | undefined>;
};

/** The URL of a dashboard's data: the page's own range parameters, forwarded as they are. */
export function dashboardUrl({ dashboard, selection, width, params = {} }: Omit<Options, "refresh">): string {
  const query = new URLSearchParams(rangeQuery(selection));
  if (width !== null) query.set("width", String(width));
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== "") query.set(key, String(value));
  return `/api/metrics/dashboards/${dashboard}?${query}`;
}

/**
 * A dashboard's data with the page's auto-refresh. A preset range is resolved by the server
 * at each fetch, so a refresh slides the window. Refreshing stops while the tab is hidden
 * (react-query watches document.visibilityState), and the previous data stays on screen while
 * a new range loads so the charts do not flash empty.
 */
export function useDashboardData(options: Options) {
  const url = dashboardUrl(options);
  const interval = REFRESH_INTERVALS[options.refresh];
  return useQuery({
    queryKey: ["dashboard", url],
    queryFn: () => apiFetch<DashboardResponse>(url),
    enabled: options.width !== null,
    refetchInterval: interval > 0 ? interval : false,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

