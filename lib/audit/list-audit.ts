import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { can } from "@/lib/auth/policy";
import { validationError } from "@/lib/http/errors";
import type { Prisma } from "@/lib/db/generated/client";

export const auditFilter = z.object({
  tenant: z.string().max(63).optional(),
  action: z.string().max(64).regex(/^[\w.-]*$/, "Letters, digits, '.', '_' and '-' only").optional(),
  actor: z.string().max(254).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Platform admins see every event; tenant admins only their tenants' events, enforced in the
 * WHERE clause whatever the filter asked for.
 */
export async function listAudit(db: Db, principal: Principal, raw: unknown) {
  const parsed = auditFilter.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const filter = parsed.data;
  let tenantScope: Prisma.AuditEventWhereInput;
  if (filter.tenant) {
    await assertAllowed(db, principal, "audit.view-tenant", { tenantId: filter.tenant }, { type: "audit", id: filter.tenant });
    tenantScope = { tenantId: filter.tenant };
  } else if (can(principal, "audit.view-all")) {
    tenantScope = {};
  } else {
    const visible = [...principal.tenantRoles.keys()].filter((t) => can(principal, "audit.view-tenant", { tenantId: t }));
    if (!visible.length) await assertAllowed(db, principal, "audit.view-tenant");
    tenantScope = { tenantId: { in: visible } };
  }
  const events = await db.auditEvent.findMany({
    where: {
      ...tenantScope,
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
      ...(filter.actor ? { actorEmail: { contains: filter.actor, mode: "insensitive" } } : {}),
      ...(filter.outcome ? { outcome: filter.outcome } : {}),
      ...(filter.before ? { at: { lt: new Date(filter.before) } } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
  });
  const hasMore = events.length > filter.limit;
  const page = events.slice(0, filter.limit);
  return { events: page, nextBefore: hasMore ? page.at(-1)?.at.toISOString() : undefined, filter };
}
