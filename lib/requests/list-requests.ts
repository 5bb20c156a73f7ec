import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { can } from "@/lib/auth/policy";
import { validationError } from "@/lib/http/errors";
import { REQUEST_STATUSES } from "./lifecycle";

export const requestFilter = z.object({
  tenant: z.string().max(63).optional(),
  status: z.enum(REQUEST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const listSelect = {
  id: true,
  number: true,
  tenantId: true,
  kind: true,
  status: true,
  title: true,
  requesterEmail: true,
  costDeltaCents: true,
  prNumber: true,
  prUrl: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Requests the principal may see: a tenant's (tenant admins), or all (platform admins). */
export async function listRequests(db: Db, principal: Principal, raw: unknown) {
  const parsed = requestFilter.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const { tenant, status, limit } = parsed.data;
  let tenants: string[] | undefined;
  if (tenant) {
    await assertAllowed(db, principal, "request.view", { tenantId: tenant }, { type: "requests", id: tenant });
    tenants = [tenant];
  } else if (!principal.platformRoles.has("platform-admin")) {
    tenants = [...principal.tenantRoles.keys()].filter((t) => can(principal, "request.view", { tenantId: t }));
    if (!tenants.length) await assertAllowed(db, principal, "request.view");
  }
  return db.changeRequest.findMany({
    where: { ...(tenants ? { tenantId: { in: tenants } } : {}), ...(status ? { status } : {}) },
    select: listSelect,
    orderBy: { createdAt: "desc" },
    take: limit,
  });
}

export const APPROVALS_PAGE_SIZE = 25;

/**
 * The approvals queue: every request with an open pull request, oldest first, a page at a time
 * (each entry carries its rendered files). Platform admins only.
 */
export async function listApprovals(db: Db, principal: Principal, page = 1) {
  await assertAllowed(db, principal, "request.approve");
  const current = Number.isInteger(page) && page > 0 ? page : 1;
  const [items, total] = await Promise.all([
    db.changeRequest.findMany({
      where: { status: "submitted" },
      select: { ...listSelect, headSha: true, requesterId: true, summary: true, files: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip: (current - 1) * APPROVALS_PAGE_SIZE,
      take: APPROVALS_PAGE_SIZE,
    }),
    db.changeRequest.count({ where: { status: "submitted" } }),
  ]);
  return { items, total, page: current, pages: Math.max(1, Math.ceil(total / APPROVALS_PAGE_SIZE)) };
}
