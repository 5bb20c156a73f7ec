import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";

/** The tenant if the principal may see it; otherwise the same 404 as for a tenant that does not exist. */
export async function getTenantOrThrow(db: Db, principal: Principal, tenantId: string) {
  await assertAllowed(db, principal, "tenant.view", { tenantId }, { type: "tenant", id: tenantId });
  const tenant = await db.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) throw notFound();
  return tenant;
}
