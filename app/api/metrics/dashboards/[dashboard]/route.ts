import { route } from "@/lib/http/route";
import { getDashboardData } from "@/lib/dashboards/get-dashboard-data";

export const dynamic = "force-dynamic";

// A read: not audited per call (refusals are, by the guard). Prometheus being down is a 200
// with `prometheus.ok = false` and per-panel errors, so the page keeps whatever it can draw.
export const GET = route<{ dashboard: string }>("metrics.dashboard", async ({ db, principal, req, params }) =>
  getDashboardData(db, principal, params.dashboard, req.nextUrl.searchParams),
);
