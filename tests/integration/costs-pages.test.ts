import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { testDatabases, type TestDb } from "../support/databases";
import { principalFor, seedTenant, seedUser } from "../support/seed";

/**
 * The cost pages rendered as the server renders them (real policy and database, session stood
 * in): known figures, sorting from the URL, states, and the same not-found for other tenants.
 */

const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({ getPrincipal: async () => session.principal }));
vi.mock("next/navigation", () => ({
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
}));
// No live figures in this test: the period is in the past.
const { default: CostsPage } = await import("@/app/(portal)/costs/page");
const { default: TenantCostsPage } = await import("@/app/(portal)/t/[tenant]/costs/page");
const { default: StatementPage } = await import("@/app/(portal)/t/[tenant]/costs/statement/page");

type Holders = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }> };
const holders = globalThis as typeof globalThis & Holders;

const LAST_YEAR = "period=custom&from=2025-03-01&to=2025-03-31";
const sp = (q: string) => Promise.resolve(Object.fromEntries(new URLSearchParams(q)));
const html = async (el: Promise<React.ReactElement | null>) => renderToStaticMarkup((await el)!);

describe.each(testDatabases().slice(0, 1))("cost pages ($name)", (target) => {
  let t: TestDb;
  let people: Record<"finance" | "adminA" | "adminB" | "devA", Principal>;
  let A: string;
  let B: string;

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    holders.__portalDb = Promise.resolve({ db: t.db, close: async () => undefined });
    A = (await seedTenant(t.db, { id: "acme-p", displayName: "Acme P", monthlyBudgetCents: 10_000 })).id;
    B = (await seedTenant(t.db, { id: "globex-p", displayName: "Globex P", monthlyBudgetCents: 10_000 })).id;
    const user = await seedUser(t.db);
    people = {
      finance: principalFor(user, { platform: ["finance"] }),
      adminA: principalFor(user, { tenants: { [A]: "tenant-admin" } }),
      adminB: principalFor(user, { tenants: { [B]: "tenant-admin" } }),
      devA: principalFor(user, { tenants: { [A]: "developer" } }),
    };
    const day = new Date("2025-03-10T00:00:00Z");
    await t.db.costSnapshot.createMany({
      data: [
        { tenantId: A, day, source: "opencost", gpuMilliHours: 3000, gpuCostCents: 123_456, cpuCostCents: 100 },
        { tenantId: A, day, source: "litellm", tokenSpendMicros: 90_000_000n, outputTokens: 10n },
        { tenantId: B, day, source: "litellm", tokenSpendMicros: 20_000_000n },
      ],
    });
  });

  afterAll(async () => {
    holders.__portalDb = undefined;
    await t?.close();
  });

  it("Costs: known figures, sorted by budget used from the URL, totals of the rows shown", async () => {
    session.principal = people.finance;
    const page = await html(CostsPage({ searchParams: sp(`${LAST_YEAR}&sort=budgetUsedPct&dir=asc`) }));
    expect(page).toContain("$1,234.56");
    expect(page.indexOf('data-tenant="globex-p"')).toBeLessThan(page.indexOf('data-tenant="acme-p"'));
    expect(page).toContain('href="/t/acme-p/costs?period=custom&amp;from=2025-03-01&amp;to=2025-03-31"');
    expect(page).toContain('data-testid="reconciliation"');
    expect(page).toContain("Idle sharing:");
    const filtered = await html(CostsPage({ searchParams: sp(`${LAST_YEAR}&q=globex`) }));
    expect(filtered).not.toContain('data-tenant="acme-p"');
    expect(filtered).toContain("Total (1)");
  });

  it("Costs: a broken period is shown as a message, not a crash", async () => {
    session.principal = people.finance;
    expect(await html(CostsPage({ searchParams: sp("period=custom&from=2025-02-30&to=2025-03-01") }))).toContain("Invalid period");
  });

  it("tenant page and statement render for the tenant's admin", async () => {
    session.principal = people.adminA;
    const page = await html(TenantCostsPage({ params: Promise.resolve({ tenant: A }), searchParams: sp(LAST_YEAR) }));
    expect(page).toContain("Daily cost by category");
    expect(page).toContain("resets in");
    const statement = await html(StatementPage({ params: Promise.resolve({ tenant: A }), searchParams: sp("month=2025-03") }));
    expect(statement).toContain("Cost statement · 2025-03");
    expect(statement).toContain("$1,234.56");
    expect(statement).toContain("$90.00");
  });

  it.each([
    ["another tenant's admin", "adminB", () => TenantCostsPage({ params: Promise.resolve({ tenant: A }), searchParams: sp("") })],
    ["a developer", "devA", () => TenantCostsPage({ params: Promise.resolve({ tenant: A }), searchParams: sp("") })],
    ["a developer, statement", "devA", () => StatementPage({ params: Promise.resolve({ tenant: A }), searchParams: sp("") })],
    ["a tenant admin, Costs table", "adminA", () => CostsPage({ searchParams: sp("") })],
  ] as const)("%s gets not-found", async (_name, who, render) => {
    session.principal = people[who];
    await expect(render()).rejects.toThrow("NEXT_NOT_FOUND");
  });
});
