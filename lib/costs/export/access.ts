import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";

/** Cross-tenant cost views (the Costs table, its export): finance and platform admins; 403 otherwise. */
export async function assertCostViewAll(db: Db, principal: Principal): Promise<void> {
  await assertAllowed(db, principal, "cost.view-all", {}, { type: "costs", id: "all-tenants" });
}

/**
 * One tenant's costs. A tenant the principal has no role in answers 404, the same as one that
 * does not exist; a developer of the tenant gets 403 (they may know it exists). Platform roles
 * pass the policy for any name, so existence is checked after, still as a 404.
 */
export async function assertCostViewTenant(db: Db, principal: Principal, tenantId: string) {
  await assertAllowed(db, principal, "cost.view-tenant", { tenantId }, { type: "tenant", id: tenantId });
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, displayName: true, costCenter: true } });
  if (!tenant) throw notFound();
  return tenant;
}
