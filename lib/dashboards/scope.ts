import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";
import type { Scope } from "@/lib/metrics/types";

/**
 * The Prometheus scope of a tenant's dashboards, built on the server from the tenant the
 * principal was just authorized for; the client never names namespaces itself. A tenant's
 * namespace is its slug (lib/gitops/render-tenant.ts), so the scope is exactly that one.
 *
 * Refusals: a tenant the principal has no role in answers 404 (as does a tenant that does not
 * exist), so a URL never confirms another tenant's name.
 */
export async function tenantMetricsScope(db: Db, principal: Principal, tenantId: string): Promise<Extract<Scope, { kind: "tenant" }>> {
  await assertAllowed(db, principal, "metrics.tenant", { tenantId }, { type: "tenant", id: tenantId });
  // Platform admins pass the policy for any name; an unknown tenant must still be a 404, not
  // an empty dashboard that suggests it exists.
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!tenant) throw notFound();
  return { kind: "tenant", tenant: tenant.id, namespaces: [tenant.id] };
}

/** The fleet-wide scope: platform admins only (403 for everyone else). */
export async function platformMetricsScope(db: Db, principal: Principal): Promise<Extract<Scope, { kind: "platform" }>> {
  await assertAllowed(db, principal, "metrics.fleet");
  return { kind: "platform" };
}
