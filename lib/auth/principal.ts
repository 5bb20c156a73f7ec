import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import type { PlatformRole, Subject, TenantRole } from "./policy";

export type Identity = {
  issuer: string;
  subject: string;
  email: string;
  name?: string | null;
  groups: string[];
};

export type Principal = Subject & {
  email: string;
  name: string | null;
  groups: string[];
  requestId?: string;
};

// Writing lastSeenAt on every request would turn each page view into a write; a few minutes
// of precision is plenty for "last seen".
const LAST_SEEN_PRECISION_MS = 5 * 60_000;

async function rememberUser(db: Db, identity: Identity): Promise<{ id: string }> {
  const key = { issuer_subject: { issuer: identity.issuer, subject: identity.subject } };
  const existing = await db.user.findUnique({ where: key, select: { id: true, email: true, name: true, lastSeenAt: true } });
  const fresh = existing && Date.now() - existing.lastSeenAt.getTime() < LAST_SEEN_PRECISION_MS;
  if (existing && fresh && existing.email === identity.email && existing.name === (identity.name ?? null)) {
    return existing;
  }
  return db.user.upsert({
    where: key,
    create: { issuer: identity.issuer, subject: identity.subject, email: identity.email, name: identity.name ?? null },
    update: { email: identity.email, name: identity.name ?? null, lastSeenAt: new Date() },
    select: { id: true },
  });
}

const ROLE_RANK: Record<TenantRole, number> = { developer: 1, "tenant-admin": 2 };

/**
 * Roles are derived on every request from the identity's groups and the tenants' current group
 * mappings, so a mapping removed in the portal takes effect without a new sign-in.
 */
export async function resolvePrincipal(db: Db, identity: Identity): Promise<Principal> {
  const config = env();
  const user = await rememberUser(db, identity);
  const platformRoles = new Set<PlatformRole>();
  if (identity.groups.some((g) => config.PLATFORM_ADMIN_GROUPS.includes(g))) platformRoles.add("platform-admin");
  if (identity.groups.some((g) => config.FINANCE_GROUPS.includes(g))) platformRoles.add("finance");

  const mappings = identity.groups.length
    ? await db.tenantGroup.findMany({ where: { group: { in: identity.groups } }, select: { tenantId: true, role: true } })
    : [];
  const tenantRoles = new Map<string, TenantRole>();
  for (const { tenantId, role } of mappings) {
    // Unknown role strings in the table grant nothing rather than something.
    if (role !== "developer" && role !== "tenant-admin") continue;
    const current = tenantRoles.get(tenantId);
    if (!current || ROLE_RANK[role] > ROLE_RANK[current]) tenantRoles.set(tenantId, role);
  }

  return {
    userId: user.id,
    email: identity.email,
    name: identity.name ?? null,
    groups: identity.groups,
    platformRoles,
    tenantRoles,
  };
}
