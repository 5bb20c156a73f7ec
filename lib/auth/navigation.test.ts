import { describe, expect, it } from "vitest";
import { navFor } from "./navigation";
import type { PlatformRole, TenantRole } from "./policy";
import type { Principal } from "./principal";

function principal(platform: PlatformRole[], tenants: Record<string, TenantRole> = {}): Principal {
  return { userId: "u1", email: "u@example.test", name: null, groups: [], platformRoles: new Set(platform), tenantRoles: new Map(Object.entries(tenants)) };
}

const hrefs = (p: Principal) => navFor(p).map((item) => item.href);

describe("navFor: dashboards", () => {
  it("a developer gets the usage page of each of their tenants, never Fleet or Explore", () => {
    const links = hrefs(principal([], { "team-a": "developer", "team-b": "developer" }));
    expect(links).toEqual(expect.arrayContaining(["/t/team-a/usage", "/t/team-b/usage"]));
    expect(links).not.toContain("/fleet");
    expect(links).not.toContain("/explore");
  });

  it("labels usage by tenant only when there is more than one", () => {
    expect(navFor(principal([], { "team-a": "tenant-admin" })).find((i) => i.href === "/t/team-a/usage")?.label).toBe("Usage");
    const two = navFor(principal([], { "team-a": "developer", "team-b": "developer" }));
    expect(two.find((i) => i.href === "/t/team-b/usage")?.label).toBe("Usage · team-b");
  });

  it("a platform admin gets Fleet and Explore", () => {
    const links = hrefs(principal(["platform-admin"]));
    expect(links).toEqual(expect.arrayContaining(["/fleet", "/explore"]));
  });

  it("finance gets neither dashboards nor Explore", () => {
    const links = hrefs(principal(["finance"]));
    expect(links.filter((h) => h === "/fleet" || h === "/explore" || h.endsWith("/usage"))).toEqual([]);
  });
});

describe("navFor: costs", () => {
  it("finance and platform admins get the cross-tenant Costs table, not per-tenant entries", () => {
    for (const role of ["finance", "platform-admin"] as const) {
      const links = hrefs(principal([role], { "team-a": "tenant-admin" }));
      expect(links).toContain("/costs");
      expect(links.filter((h) => h.endsWith("/costs") && h !== "/costs")).toEqual([]);
    }
  });

  it("a tenant admin gets Costs of their tenant only; a developer gets no cost page", () => {
    const links = hrefs(principal([], { "team-a": "tenant-admin", "team-b": "developer" }));
    expect(links).toContain("/t/team-a/costs");
    expect(links).not.toContain("/t/team-b/costs");
    expect(links).not.toContain("/costs");
    expect(hrefs(principal([], { "team-b": "developer" })).some((h) => h.includes("costs"))).toBe(false);
  });
});
