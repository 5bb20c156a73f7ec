import { route } from "@/lib/http/route";
import { listScopedDeployments } from "@/lib/dashboards/list-scoped-deployments";

export const dynamic = "force-dynamic";

// `?namespace=<tenant>` for one tenant (its members; 404 across tenants), none for the fleet.
export const GET = route("metrics.deployments", async ({ db, principal, req }) => listScopedDeployments(db, principal, req.nextUrl.searchParams));
