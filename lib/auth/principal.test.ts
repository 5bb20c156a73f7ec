import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import type { Identity } from "./principal";

type Mapping = { tenantId: string; group: string; role: string };

/** Just the three calls resolvePrincipal makes, with the group filter applied like the database would. */
function fakeDb(mappings: Mapping[], existingUser?: { id: string; email: string; name: string | null; lastSeenAt: Date }) {
  const calls = { upserts: 0, findMany: [] as unknown[] };
  const db = {
    user: {
      findUnique: async () => existingUser ?? null,
      upsert: async () => {
        calls.upserts++;
        return { id: existingUser?.id ?? "user-1" };
      },
    },
    tenantGroup: {
      findMany: async (args: { where: { group: { in: string[] } } }) => {
        calls.findMany.push(args);
        return mappings.filter((m) => args.where.group.in.includes(m.group)).map(({ tenantId, role }) => ({ tenantId, role }));
      },
    },
  };
  return { db: db as unknown as Db, calls };
}

const identity = (groups: string[]): Identity => ({ issuer: "https://dex.test", subject: "abc", email: "dev@example.test", name: "Dev", groups });

// env() caches the parsed environment for the process, so every test loads a fresh module graph.
async function load(vars: Record<string, string> = {}) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  return import("./principal");
}

beforeEach(() => {
  // A developer's shell may carry real values; the defaults are what these tests assume unless stubbed.
  vi.stubEnv("PLATFORM_ADMIN_GROUPS", "");
  vi.stubEnv("FINANCE_GROUPS", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("resolvePrincipal: tenant roles", () => {
  const mappings: Mapping[] = [
    { tenantId: "team-a", group: "a-devs", role: "developer" },
    { tenantId: "team-a", group: "a-admins", role: "tenant-admin" },
    { tenantId: "team-b", group: "b-devs", role: "developer" },
    { tenantId: "team-c", group: "c-owners", role: "owner" },
    { tenantId: "team-c", group: "c-admins", role: "Tenant-Admin" },
    { tenantId: "team-d", group: "d-empty", role: "" },
  ];

  it.each([
    { name: "developer group only", groups: ["a-devs"], expected: [["team-a", "developer"]] },
    { name: "admin group only", groups: ["a-admins"], expected: [["team-a", "tenant-admin"]] },
    { name: "both groups, developer first: the highest role wins", groups: ["a-devs", "a-admins"], expected: [["team-a", "tenant-admin"]] },
    { name: "both groups, admin first: the highest role wins", groups: ["a-admins", "a-devs"], expected: [["team-a", "tenant-admin"]] },
    { name: "two tenants", groups: ["a-devs", "b-devs"], expected: [["team-a", "developer"], ["team-b", "developer"]] },
    { name: "unknown role string grants nothing", groups: ["c-owners"], expected: [] },
    { name: "role strings are case-sensitive", groups: ["c-admins"], expected: [] },
    { name: "empty role string grants nothing", groups: ["d-empty"], expected: [] },
    { name: "unknown roles next to a known one", groups: ["c-owners", "b-devs"], expected: [["team-b", "developer"]] },
    { name: "groups without any mapping", groups: ["nobody"], expected: [] },
  ])("$name", async ({ groups, expected }) => {
    const { resolvePrincipal } = await load();
    const { db } = fakeDb(mappings);
    const principal = await resolvePrincipal(db, identity(groups));
    expect([...principal.tenantRoles.entries()].sort()).toEqual(expected);
    expect(principal.platformRoles.size).toBe(0);
  });

  it("does not query the mappings for an identity without groups", async () => {
    const { resolvePrincipal } = await load();
    const { db, calls } = fakeDb(mappings);
    const principal = await resolvePrincipal(db, identity([]));
    expect(calls.findMany).toHaveLength(0);
    expect(principal.tenantRoles.size).toBe(0);
  });
});

describe("resolvePrincipal: platform roles from the environment", () => {
  it.each<{ name: string; vars: Record<string, string>; groups: string[]; expected: string[] }>([
    { name: "default admin group", vars: {}, groups: ["platform-admins"], expected: ["platform-admin"] },
    { name: "default finance group", vars: {}, groups: ["finance"], expected: ["finance"] },
    { name: "both defaults", vars: {}, groups: ["finance", "platform-admins"], expected: ["finance", "platform-admin"] },
    {
      name: "custom CSV lists",
      vars: { PLATFORM_ADMIN_GROUPS: "ops, sre", FINANCE_GROUPS: "billing" },
      groups: ["sre"],
      expected: ["platform-admin"],
    },
    {
      name: "custom lists replace the defaults",
      vars: { PLATFORM_ADMIN_GROUPS: "ops", FINANCE_GROUPS: "billing" },
      groups: ["platform-admins", "finance"],
      expected: [],
    },
    { name: "group names match exactly", vars: { PLATFORM_ADMIN_GROUPS: "ops" }, groups: ["ops-team", "OPS"], expected: [] },
  ])("$name", async ({ vars, groups, expected }) => {
    const { resolvePrincipal } = await load(vars);
    const principal = await resolvePrincipal(fakeDb([]).db, identity(groups));
    expect([...principal.platformRoles].sort()).toEqual(expected);
  });
});

describe("resolvePrincipal: the user row", () => {
  it("returns the stored user id and the identity's profile", async () => {
    const { resolvePrincipal } = await load();
    const { db } = fakeDb([], { id: "stored-id", email: "dev@example.test", name: "Dev", lastSeenAt: new Date() });
    const principal = await resolvePrincipal(db, identity(["x"]));
    expect(principal).toMatchObject({ userId: "stored-id", email: "dev@example.test", name: "Dev", groups: ["x"] });
  });

  it.each([
    { name: "unknown user", user: undefined, upserts: 1 },
    { name: "recently seen, same profile", user: { id: "u", email: "dev@example.test", name: "Dev", lastSeenAt: new Date() }, upserts: 0 },
    { name: "recently seen, email changed", user: { id: "u", email: "old@example.test", name: "Dev", lastSeenAt: new Date() }, upserts: 1 },
    { name: "recently seen, name changed", user: { id: "u", email: "dev@example.test", name: "Old", lastSeenAt: new Date() }, upserts: 1 },
    {
      name: "seen long ago",
      user: { id: "u", email: "dev@example.test", name: "Dev", lastSeenAt: new Date(Date.now() - 60 * 60_000) },
      upserts: 1,
    },
  ])("writes the user only when needed: $name", async ({ user, upserts }) => {
    const { resolvePrincipal } = await load();
    const { db, calls } = fakeDb([], user);
    await resolvePrincipal(db, identity([]));
    expect(calls.upserts).toBe(upserts);
  });
});
