import { describe, expect, it } from "vitest";
import { ACTIONS, authorize, can, type Action, type PlatformRole, type Resource, type Subject, type TenantRole } from "./policy";

const ME = "user-me";
const SOMEONE_ELSE = "user-other";
const OWN_TENANT = "team-a";
const OTHER_TENANT = "team-b";

type RoleName = "developer" | "tenant-admin" | "platform-admin" | "finance" | "no role";

function subjectFor(role: RoleName): Subject {
  const platformRoles = new Set<PlatformRole>();
  const tenantRoles = new Map<string, TenantRole>();
  if (role === "developer" || role === "tenant-admin") tenantRoles.set(OWN_TENANT, role);
  if (role === "platform-admin" || role === "finance") platformRoles.add(role);
  return { userId: ME, platformRoles, tenantRoles };
}

// Platform roles hold no tenant membership, so "own tenant" is just one tenant among the rest for them.
const RESOURCES = {
  "own tenant": { tenantId: OWN_TENANT },
  "other tenant": { tenantId: OTHER_TENANT },
  "own key": { tenantId: OWN_TENANT, ownerId: ME },
  "someone else's key": { tenantId: OWN_TENANT, ownerId: SOMEONE_ELSE },
  "no resource": {},
} satisfies Record<string, Resource>;
type ResourceName = keyof typeof RESOURCES;

// A = allowed, F = 403 (forbidden: a member whose role is too low), N = 404 (must stay invisible).
type Cell = "A" | "F" | "N";
type Row = Record<ResourceName, Cell>;

const every = (cell: Cell): Row => ({
  "own tenant": cell,
  "other tenant": cell,
  "own key": cell,
  "someone else's key": cell,
  "no resource": cell,
});
/** own tenant / other tenant / own key / someone else's key / no resource, in that order. */
const row = (t: Cell, o: Cell, k: Cell, x: Cell, n: Cell): Row => ({
  "own tenant": t,
  "other tenant": o,
  "own key": k,
  "someone else's key": x,
  "no resource": n,
});

// Written by hand from the product rules, not derived from GRANTS: a change to GRANTS that
// moves any decision must show up here.
const EXPECTED: Record<RoleName, Record<Action, Row>> = {
  developer: {
    "tenant.view": row("A", "N", "A", "N", "F"),
    "tenant.list-all": row("F", "N", "F", "N", "F"),
    "tenant.create": row("F", "N", "F", "N", "F"),
    "key.create": row("A", "N", "A", "N", "F"),
    "key.view-own": row("A", "N", "A", "N", "F"),
    "key.view-any": row("F", "N", "F", "N", "F"),
    "key.revoke-own": row("A", "N", "A", "N", "F"),
    "key.revoke-any": row("F", "N", "F", "N", "F"),
    "key.regenerate-own": row("A", "N", "A", "N", "F"),
    "audit.view-tenant": row("F", "N", "F", "N", "F"),
    "audit.view-all": row("F", "N", "F", "N", "F"),
    "request.view": row("F", "N", "F", "N", "F"),
    "request.create": row("F", "N", "F", "N", "F"),
    "request.approve": row("F", "N", "F", "N", "F"),
    "tenant.onboard": row("F", "N", "F", "N", "F"),
    // The fleet and raw PromQL span every tenant; a member sees their own tenant's dashboards only.
    "metrics.fleet": row("F", "N", "F", "N", "F"),
    "metrics.explore": row("F", "N", "F", "N", "F"),
    "metrics.tenant": row("A", "N", "A", "N", "F"),
    "cost.view-all": row("F", "N", "F", "N", "F"),
    // Developers see only their own keys' spend (keys page), never the tenant's costs.
    "cost.view-tenant": row("F", "N", "F", "N", "F"),
    // Members read their tenant's runs; starting or importing one is the tenant admins'.
    "benchmark.view": row("A", "N", "A", "N", "F"),
    "benchmark.run": row("F", "N", "F", "N", "F"),
    "benchmark.import": row("F", "N", "F", "N", "F"),
  },
  "tenant-admin": {
    "tenant.view": row("A", "N", "A", "N", "F"),
    "tenant.list-all": row("F", "N", "F", "N", "F"),
    "tenant.create": row("F", "N", "F", "N", "F"),
    "key.create": row("A", "N", "A", "N", "F"),
    "key.view-own": row("A", "N", "A", "A", "F"),
    "key.view-any": row("A", "N", "A", "A", "F"),
    "key.revoke-own": row("A", "N", "A", "A", "F"),
    "key.revoke-any": row("A", "N", "A", "A", "F"),
    // Only the owner regenerates: the new secret is shown to whoever asked.
    "key.regenerate-own": row("A", "N", "A", "N", "F"),
    "audit.view-tenant": row("A", "N", "A", "N", "F"),
    "audit.view-all": row("F", "N", "F", "N", "F"),
    "request.view": row("A", "N", "A", "N", "F"),
    "request.create": row("A", "N", "A", "N", "F"),
    // Approvals and onboarding are the platform team's.
    "request.approve": row("F", "N", "F", "N", "F"),
    "tenant.onboard": row("F", "N", "F", "N", "F"),
    "metrics.fleet": row("F", "N", "F", "N", "F"),
    "metrics.explore": row("F", "N", "F", "N", "F"),
    "metrics.tenant": row("A", "N", "A", "N", "F"),
    "cost.view-all": row("F", "N", "F", "N", "F"),
    "cost.view-tenant": row("A", "N", "A", "N", "F"),
    "benchmark.view": row("A", "N", "A", "N", "F"),
    "benchmark.run": row("A", "N", "A", "N", "F"),
    "benchmark.import": row("A", "N", "A", "N", "F"),
  },
  "platform-admin": {
    "tenant.view": row("A", "A", "A", "N", "A"),
    "tenant.list-all": row("A", "A", "A", "N", "A"),
    "tenant.create": row("A", "A", "A", "N", "A"),
    // A platform admin never mints or re-mints a key inside a tenant.
    "key.create": row("F", "F", "F", "N", "F"),
    "key.view-own": row("F", "F", "F", "A", "F"),
    "key.view-any": row("A", "A", "A", "A", "A"),
    "key.revoke-own": row("F", "F", "F", "A", "F"),
    "key.revoke-any": row("A", "A", "A", "A", "A"),
    "key.regenerate-own": row("F", "F", "F", "N", "F"),
    "audit.view-tenant": row("A", "A", "A", "N", "A"),
    "audit.view-all": row("A", "A", "A", "N", "A"),
    "request.view": row("A", "A", "A", "N", "A"),
    "request.create": row("A", "A", "A", "N", "A"),
    "request.approve": row("A", "A", "A", "N", "A"),
    "tenant.onboard": row("A", "A", "A", "N", "A"),
    "metrics.fleet": row("A", "A", "A", "N", "A"),
    "metrics.explore": row("A", "A", "A", "N", "A"),
    "metrics.tenant": row("A", "A", "A", "N", "A"),
    "cost.view-all": row("A", "A", "A", "N", "A"),
    "cost.view-tenant": row("A", "A", "A", "N", "A"),
    "benchmark.view": row("A", "A", "A", "N", "A"),
    "benchmark.run": row("A", "A", "A", "N", "A"),
    "benchmark.import": row("A", "A", "A", "N", "A"),
  },
  finance: {
    "tenant.view": row("A", "A", "A", "N", "A"),
    "tenant.list-all": row("A", "A", "A", "N", "A"),
    "tenant.create": row("F", "F", "F", "N", "F"),
    // Finance never sees keys or audit.
    "key.create": row("F", "F", "F", "N", "F"),
    "key.view-own": row("F", "F", "F", "N", "F"),
    "key.view-any": row("F", "F", "F", "N", "F"),
    "key.revoke-own": row("F", "F", "F", "N", "F"),
    "key.revoke-any": row("F", "F", "F", "N", "F"),
    "key.regenerate-own": row("F", "F", "F", "N", "F"),
    "audit.view-tenant": row("F", "F", "F", "N", "F"),
    "audit.view-all": row("F", "F", "F", "N", "F"),
    "request.view": row("F", "F", "F", "N", "F"),
    "request.create": row("F", "F", "F", "N", "F"),
    "request.approve": row("F", "F", "F", "N", "F"),
    "tenant.onboard": row("F", "F", "F", "N", "F"),
    // Finance gets costs, not serving dashboards of any tenant nor the fleet's.
    "metrics.fleet": row("F", "F", "F", "N", "F"),
    "metrics.explore": row("F", "F", "F", "N", "F"),
    "metrics.tenant": row("F", "F", "F", "N", "F"),
    // Finance reads every tenant's costs (and nothing about keys or traffic).
    "cost.view-all": row("A", "A", "A", "N", "A"),
    "cost.view-tenant": row("A", "A", "A", "N", "A"),
    // No benchmarks: runs carry every tenant's model names and traffic shapes.
    "benchmark.view": row("F", "F", "F", "N", "F"),
    "benchmark.run": row("F", "F", "F", "N", "F"),
    "benchmark.import": row("F", "F", "F", "N", "F"),
  },
  "no role": {
    "tenant.view": row("N", "N", "N", "N", "F"),
    "tenant.list-all": row("N", "N", "N", "N", "F"),
    "tenant.create": row("N", "N", "N", "N", "F"),
    "key.create": row("N", "N", "N", "N", "F"),
    "key.view-own": row("N", "N", "N", "N", "F"),
    "key.view-any": row("N", "N", "N", "N", "F"),
    "key.revoke-own": row("N", "N", "N", "N", "F"),
    "key.revoke-any": row("N", "N", "N", "N", "F"),
    "key.regenerate-own": row("N", "N", "N", "N", "F"),
    "audit.view-tenant": row("N", "N", "N", "N", "F"),
    "audit.view-all": row("N", "N", "N", "N", "F"),
    "request.view": row("N", "N", "N", "N", "F"),
    "request.create": row("N", "N", "N", "N", "F"),
    "request.approve": row("N", "N", "N", "N", "F"),
    "tenant.onboard": row("N", "N", "N", "N", "F"),
    "metrics.fleet": row("N", "N", "N", "N", "F"),
    "metrics.explore": row("N", "N", "N", "N", "F"),
    "metrics.tenant": row("N", "N", "N", "N", "F"),
    "cost.view-all": row("N", "N", "N", "N", "F"),
    "cost.view-tenant": row("N", "N", "N", "N", "F"),
    "benchmark.view": row("N", "N", "N", "N", "F"),
    "benchmark.run": row("N", "N", "N", "N", "F"),
    "benchmark.import": row("N", "N", "N", "N", "F"),
  },
};

function toCell(subject: Subject, action: Action, resource: Resource): Cell {
  const decision = authorize(subject, action, resource);
  if (decision.allowed) return "A";
  return decision.status === 403 ? "F" : "N";
}

const cases = (Object.keys(EXPECTED) as RoleName[]).flatMap((role) =>
  ACTIONS.flatMap((action) =>
    (Object.keys(RESOURCES) as ResourceName[]).map((resource) => ({ role, action, resource, expected: EXPECTED[role][action][resource] })),
  ),
);

describe("authorize: the full policy table", () => {
  it("covers every action of ACTIONS for every role", () => {
    for (const role of Object.keys(EXPECTED) as RoleName[]) {
      expect(Object.keys(EXPECTED[role]).sort()).toEqual([...ACTIONS].sort());
    }
    expect(cases).toHaveLength(5 * ACTIONS.length * 5);
  });

  it.each(cases)("$role / $action / $resource → $expected", ({ role, action, resource, expected }) => {
    const subject = subjectFor(role);
    expect(toCell(subject, action, RESOURCES[resource])).toBe(expected);
    expect(can(subject, action, RESOURCES[resource])).toBe(expected === "A");
  });
});

describe("authorize: combined roles", () => {
  it("a tenant role elsewhere does not leak into another tenant", () => {
    const subject: Subject = { userId: ME, platformRoles: new Set(), tenantRoles: new Map([[OTHER_TENANT, "tenant-admin"]]) };
    expect(authorize(subject, "tenant.view", { tenantId: OWN_TENANT })).toEqual({ allowed: false, status: 404 });
    expect(authorize(subject, "key.view-own", { tenantId: OWN_TENANT, ownerId: SOMEONE_ELSE })).toEqual({ allowed: false, status: 404 });
    expect(authorize(subject, "audit.view-tenant", { tenantId: OTHER_TENANT })).toEqual({ allowed: true });
  });

  it("finance who is also a developer of a tenant gets the developer's key rights there only", () => {
    const subject: Subject = { userId: ME, platformRoles: new Set(["finance"]), tenantRoles: new Map([[OWN_TENANT, "developer"]]) };
    expect(can(subject, "key.create", { tenantId: OWN_TENANT })).toBe(true);
    expect(authorize(subject, "key.create", { tenantId: OTHER_TENANT })).toEqual({ allowed: false, status: 403 });
    expect(authorize(subject, "key.view-own", { tenantId: OWN_TENANT, ownerId: SOMEONE_ELSE })).toEqual({ allowed: false, status: 404 });
  });

  it("finance who is also a developer sees that tenant's dashboards, but never the fleet or Explore", () => {
    const subject: Subject = { userId: ME, platformRoles: new Set(["finance"]), tenantRoles: new Map([[OWN_TENANT, "developer"]]) };
    expect(can(subject, "metrics.tenant", { tenantId: OWN_TENANT })).toBe(true);
    expect(authorize(subject, "metrics.tenant", { tenantId: OTHER_TENANT })).toEqual({ allowed: false, status: 403 });
    expect(authorize(subject, "metrics.fleet")).toEqual({ allowed: false, status: 403 });
    expect(authorize(subject, "metrics.explore")).toEqual({ allowed: false, status: 403 });
  });

  it("platform-admin who is also a developer of a tenant may create keys there", () => {
    const subject: Subject = { userId: ME, platformRoles: new Set(["platform-admin"]), tenantRoles: new Map([[OWN_TENANT, "developer"]]) };
    expect(can(subject, "key.create", { tenantId: OWN_TENANT })).toBe(true);
    expect(authorize(subject, "key.create", { tenantId: OTHER_TENANT })).toEqual({ allowed: false, status: 403 });
  });
});
