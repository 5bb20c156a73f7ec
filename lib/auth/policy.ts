/**
 * The one authorization decision of the portal. Routes, pages and use-cases all ask
 * `authorize()`; nothing checks roles by hand. Actions are a const tuple so that a typo is a
 * type error, and anything not granted below is denied (fail closed).
 */
export const ACTIONS = [
  "tenant.view",
  "tenant.list-all",
  "tenant.create",
  "key.create",
  "key.view-own",
  "key.view-any",
  "key.revoke-own",
  "key.revoke-any",
  "key.regenerate-own",
  "audit.view-tenant",
  "audit.view-all",
  "request.view",
  "request.create",
  "request.approve",
  "tenant.onboard",
  "metrics.fleet",
  "metrics.explore",
  "metrics.tenant",
  "cost.view-all",
  "cost.view-tenant",
  "benchmark.view",
  "benchmark.run",
  "benchmark.import",
] as const;
export type Action = (typeof ACTIONS)[number];

export const TENANT_ROLES = ["developer", "tenant-admin"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export const PLATFORM_ROLES = ["platform-admin", "finance"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type Role = TenantRole | PlatformRole;

// Tenant roles grant inside their tenant only; platform roles grant across every tenant.
// Platform admins do not create keys in tenants they are not members of: a key belongs to a
// person of the tenant, and a platform admin minting one would bypass the tenant's own admins.
export const GRANTS: Record<Role, readonly Action[]> = {
  // Members see their own tenant's serving dashboards (tokens, latency, errors): they run the
  // models and need to see how they behave. Never the fleet or raw PromQL, which span tenants.
  // Benchmarks of the tenant's deployments are read like its dashboards; starting one loads a
  // shared endpoint, so that stays with the tenant's admins.
  developer: ["tenant.view", "key.create", "key.view-own", "key.revoke-own", "key.regenerate-own", "metrics.tenant", "benchmark.view"],
  "tenant-admin": [
    "tenant.view",
    "key.create",
    "key.view-own",
    "key.view-any",
    "key.revoke-own",
    "key.revoke-any",
    "key.regenerate-own",
    "audit.view-tenant",
    "request.view",
    "request.create",
    "metrics.tenant",
    // A tenant's admins own its budget, so they see what it costs; developers do not (they see
    // only their own keys' spend on the keys page, which is key.view-own).
    "cost.view-tenant",
    // Against their own tenant's deployments only, within the tenant-admin limits (lib/benchmarks/pages/limits.ts).
    "benchmark.view",
    "benchmark.run",
    "benchmark.import",
  ],
  "platform-admin": [
    "tenant.view",
    "tenant.list-all",
    "tenant.create",
    "key.view-any",
    "key.revoke-any",
    "audit.view-tenant",
    "audit.view-all",
    "request.view",
    "request.create",
    // Approving is a platform decision; a requester never approves their own request (the
    // approve use-case enforces that, since it depends on the request, not the role).
    "request.approve",
    "tenant.onboard",
    // Raw PromQL reads every namespace's series: only the platform team, never a tenant role.
    "metrics.fleet",
    "metrics.explore",
    "metrics.tenant",
    "cost.view-all",
    "cost.view-tenant",
    "benchmark.view",
    "benchmark.run",
    "benchmark.import",
  ],
  // Finance reads no benchmarks: they carry model names and traffic shapes of every tenant.
  // Finance reads costs across tenants but never keys, prompts or audit details of keys, and
  // no serving dashboards: their series carry model names and traffic shapes of every tenant.
  finance: ["tenant.view", "tenant.list-all", "cost.view-all", "cost.view-tenant"],
};

export type Subject = {
  platformRoles: ReadonlySet<PlatformRole>;
  tenantRoles: ReadonlyMap<string, TenantRole>;
  userId: string;
};

/** What the action is about: the tenant it lives in and, for owned things, the owner. */
export type Resource = { tenantId?: string; ownerId?: string };

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404 };

const OWN_TO_ANY: Partial<Record<Action, Action>> = {
  "key.view-own": "key.view-any",
  "key.revoke-own": "key.revoke-any",
};

export function rolesFor(subject: Subject, tenantId?: string): Role[] {
  const roles: Role[] = [...subject.platformRoles];
  const tenantRole = tenantId ? subject.tenantRoles.get(tenantId) : undefined;
  if (tenantRole) roles.push(tenantRole);
  return roles;
}

function granted(roles: Role[], action: Action): boolean {
  return roles.some((role) => GRANTS[role].includes(action));
}

export function authorize(subject: Subject, action: Action, resource: Resource = {}): Decision {
  const roles = rolesFor(subject, resource.tenantId);
  // Someone with no role in the tenant must not learn that it, or anything in it, exists.
  if (resource.tenantId !== undefined && roles.length === 0) return { allowed: false, status: 404 };

  if (resource.ownerId !== undefined && resource.ownerId !== subject.userId) {
    // An "-any" permission is about every key of the tenant, whoever owns it.
    const anyAction = action.endsWith("-any") ? action : OWN_TO_ANY[action];
    if (anyAction && granted(roles, anyAction)) return { allowed: true };
    // Another member's key is as invisible to a developer as another tenant's.
    return { allowed: false, status: 404 };
  }
  if (granted(roles, action)) return { allowed: true };
  // A member whose role is too low may know the thing exists: 403 tells them why.
  return { allowed: false, status: 403 };
}

export function can(subject: Subject, action: Action, resource?: Resource): boolean {
  return authorize(subject, action, resource).allowed;
}
