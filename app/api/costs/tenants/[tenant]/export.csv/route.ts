import { env } from "@/lib/config/env";
import { csvResponse, exportTenantDailyCsv } from "@/lib/costs/export/export-csv";
import { periodFromQuery } from "@/lib/costs/export/query";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// A tenant's daily rows for `?period=…`; 404 for a tenant the caller cannot see, as for one
// that does not exist. Columns: lib/costs/export/COLUMNS.md.
export const GET = route<{ tenant: string }>("costs.tenant-export", async ({ db, principal, req, params }) => {
  const period = periodFromQuery(req.nextUrl.searchParams);
  return csvResponse(await exportTenantDailyCsv(db, principal, params.tenant, { period, currency: env().COST_CURRENCY }));
});
