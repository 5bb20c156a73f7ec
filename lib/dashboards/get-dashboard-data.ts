import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { AppError, notFound } from "@/lib/http/errors";
import { getDashboard } from "@/lib/metrics/dashboards";
import { runDashboard } from "@/lib/metrics/run-panel";
import type { DashboardDef, DashboardId, PanelParams, PanelResult, Scope } from "@/lib/metrics/types";
import { listLiveMarkers, type LiveMarker } from "./live-markers";
import { parseDashboardQuery } from "./query";
import type { RangeSelection, ResolvedRange } from "./range";
import { platformMetricsScope, tenantMetricsScope } from "./scope";

const DASHBOARD_IDS: readonly DashboardId[] = ["fleet", "model", "tenant"];

export type PrometheusStatus = { ok: true } | { ok: false; message: string };

export type DashboardResponse = {
  dashboard: Pick<DashboardDef, "id" | "title">;
  range: ResolvedRange & { selection: RangeSelection };
  /** Seconds between points, as Prometheus was asked (the largest of the panels'). */
  step: number | null;
  prometheus: PrometheusStatus;
  panels: PanelResult[];
  /** Model pages only: when the portal's GitOps requests for this deployment went live. */
  liveMarkers?: LiveMarker[];
};

// Kinds that mean "Prometheus itself is not answering", as opposed to one panel's query failing.
const OUTAGE_KINDS = new Set(["unavailable", "timeout"]);

/**
 * One banner for the page instead of a dozen identical panel errors: when any panel could not
 * reach Prometheus the page says so once; per-panel errors stay for the panels themselves.
 */
export function prometheusStatus(panels: PanelResult[]): PrometheusStatus {
  const outage = panels.find((p) => p.error && OUTAGE_KINDS.has(p.error.kind));
  return outage?.error ? { ok: false, message: outage.error.message } : { ok: true };
}

function isDashboardId(value: string): value is DashboardId {
  return (DASHBOARD_IDS as readonly string[]).includes(value);
}

/**
 * A dashboard's data for the principal. Fleet is platform-wide (403 for others); tenant and
 * model dashboards are scoped to the tenant named by `namespace`, after authorizing it (404
 * across tenants). A Prometheus outage is not an error of this call: it answers 200 with
 * per-panel errors and `prometheus.ok = false`, so the page can still draw what it has.
 */
export async function getDashboardData(
  db: Db,
  principal: Principal,
  dashboardId: string,
  search: URLSearchParams,
  nowSeconds = Date.now() / 1000,
): Promise<DashboardResponse> {
  if (!isDashboardId(dashboardId)) throw notFound();
  const query = parseDashboardQuery(search, nowSeconds);
  const required = (field: "namespace" | "deployment") => new AppError("validation", "Some fields are invalid", { [field]: ["Required"] });

  let scope: Scope;
  if (dashboardId === "fleet") {
    scope = await platformMetricsScope(db, principal);
  } else {
    if (!query.namespace) throw required("namespace");
    scope = await tenantMetricsScope(db, principal, query.namespace);
    if (dashboardId === "model" && !query.deployment) throw required("deployment");
  }

  const params: PanelParams = {
    namespace: query.namespace,
    deployment: query.deployment,
    ttftSloMs: query.ttftSloMs,
    itlSloMs: query.itlSloMs,
  };
  const def = getDashboard(dashboardId);
  const unknown = query.panels?.filter((id) => !def.panels.some((p) => p.id === id)) ?? [];
  if (unknown.length) throw new AppError("validation", "Some fields are invalid", { panels: [`Not panels of this dashboard: ${unknown.join(", ").slice(0, 200)}`] });
  const [panels, liveMarkers] = await Promise.all([
    runDashboard({ dashboard: dashboardId, scope, params, range: query.range, widthPx: query.widthPx, panels: query.panels }),
    dashboardId === "model" && scope.kind === "tenant" && query.deployment
      ? listLiveMarkers(db, principal, scope.tenant, query.deployment, query.range)
      : Promise.resolve(undefined),
  ]);
  const steps = panels.flatMap((p) => (p.data ? [p.data.step] : []));
  return {
    dashboard: { id: def.id, title: def.title },
    range: { ...query.range, selection: query.selection },
    step: steps.length ? Math.max(...steps) : null,
    prometheus: prometheusStatus(panels),
    panels,
    ...(liveMarkers ? { liveMarkers } : {}),
  };
}
