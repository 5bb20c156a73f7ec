import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";

/** Every tenant for platform admins and finance; otherwise the ones the principal belongs to. */
export async function listTenants(db: Db, principal: Principal) {
  const all = can(principal, "tenant.list-all");
  return db.tenant.findMany({
    where: all ? {} : { id: { in: [...principal.tenantRoles.keys()] } },
    include: { groups: { select: { group: true, role: true }, orderBy: { group: "asc" } } },
    orderBy: { id: "asc" },
  });
}
