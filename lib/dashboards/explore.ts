import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { runExplore } from "@/lib/metrics/run-panel";
import type { PanelData } from "@/lib/metrics/types";
import { parseExploreQuery } from "./query";
import type { RangeSelection, ResolvedRange } from "./range";

export type ExploreResponse = {
  range: ResolvedRange & { selection: RangeSelection };
  result: PanelData;
};

/**
 * Raw PromQL over every namespace: platform admins only, and authorized before the query is
 * even parsed so a refused caller learns nothing from validation messages. Prometheus' own
 * errors (a parse error, too many points) come back as PrometheusError, which the route maps
 * to 422/503 with Prometheus' message; React escapes it when it is shown.
 */
export async function exploreQuery(db: Db, principal: Principal, search: URLSearchParams, nowSeconds = Date.now() / 1000): Promise<ExploreResponse> {
  await assertAllowed(db, principal, "metrics.explore");
  const { query, range, selection, widthPx } = parseExploreQuery(search, nowSeconds);
  const result = await runExplore({ query, range, widthPx });
  return { range: { ...range, selection }, result };
}
