import { route } from "@/lib/http/route";
import { exploreQuery } from "@/lib/dashboards/explore";

export const dynamic = "force-dynamic";

// Platform admins only (403 otherwise). Prometheus' refusal of a query is 422 with its message;
// Prometheus unreachable is 503: here there is no partial result worth a 200.
export const GET = route("metrics.explore", async ({ db, principal, req }) => exploreQuery(db, principal, req.nextUrl.searchParams));
