import { env } from "@/lib/config/env";
import { csvResponse, exportTenantsCsv } from "@/lib/costs/export/export-csv";
import { periodFromQuery } from "@/lib/costs/export/query";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// `?period=…&from=…&to=…` as on the Costs page; `granularity=day` gives every tenant's daily
// rows instead of one row per tenant. Columns: lib/costs/export/COLUMNS.md.
export const GET = route("costs.export", async ({ db, principal, req }) => {
  const params = req.nextUrl.searchParams;
  const period = periodFromQuery(params);
  const granularity = params.get("granularity") === "day" ? "day" : "tenant";
  return csvResponse(await exportTenantsCsv(db, principal, { period, currency: env().COST_CURRENCY, granularity }));
});
