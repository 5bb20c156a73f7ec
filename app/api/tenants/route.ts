import { json, readJson, route } from "@/lib/http/route";
import { createTenant } from "@/lib/tenants/create-tenant";
import { listTenants } from "@/lib/tenants/list-tenants";
import { tenantView } from "@/lib/tenants/tenant-view";
import { nudgeWorker } from "@/lib/outbox/worker";

export const dynamic = "force-dynamic";

export const GET = route("tenants.list", async ({ db, principal }) => ({
  tenants: (await listTenants(db, principal)).map((t) => tenantView.parse(t)),
}));

export const POST = route("tenants.create", async ({ db, principal, req }) => {
  const tenant = await createTenant(db, principal, await readJson(req));
  nudgeWorker();
  return json({ tenant: tenantView.parse({ ...tenant, groups: [] }) }, 201);
});
