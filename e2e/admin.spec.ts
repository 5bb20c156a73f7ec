/**
 * Platform administration: a tenant created in the portal becomes a LiteLLM team with its budget
 * and models, bad input creates nothing, and the audit log shows each role only its own scope.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./env";
import { signIn, test } from "./support";

const uniqueSlug = () => `initech-${Date.now()}${Math.floor(Math.random() * 1000)}`;

async function teamInfo(request: APIRequestContext, teamId: string) {
  return request.get(`${E2E.litellmUrl}/team/info?team_id=${encodeURIComponent(teamId)}`, {
    headers: { authorization: `Bearer ${E2E.masterKey}` },
  });
}

async function fillTenantForm(page: Page, slug: string) {
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Display name").fill(`Initech ${slug}`);
  await page.getByLabel("Admin groups").fill("initech-admins");
  await page.getByRole("checkbox", { name: /^Qwen2\.5 0\.5B Instruct/ }).check();
  await page.getByLabel("Budget (USD)").fill("100");
}

function submitTenantForm(page: Page) {
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/tenants") && r.request().method() === "POST");
  return page
    .getByRole("button", { name: "Create tenant" })
    .click()
    .then(() => answer);
}

test("a platform admin creates a tenant; it becomes a LiteLLM team with its budget and models", async ({ as, request }) => {
  const slug = uniqueSlug();
  expect((await teamInfo(request, slug)).status()).toBe(404);

  const page = await as("platform@example.com", "/tenants");
  await page.getByRole("link", { name: "New tenant" }).click();
  await expect(page).toHaveURL(/\/tenants\/new$/);
  await fillTenantForm(page, slug);
  expect((await submitTenantForm(page)).status()).toBe(201);
  await expect(page).toHaveURL(/\/tenants$/);

  const row = page.getByTestId(`tenant-row-${slug}`);
  await expect(row).toContainText("initech-admins");
  await expect(row).toContainText("qwen2.5-0.5b-instruct");
  await expect(row).toContainText("$100.00");
  // The LiteLLM team is made by the outbox worker; the page shows it once the job is done.
  await expect(async () => {
    await page.reload();
    await expect(row.getByText("synced", { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });

  const team = await teamInfo(request, slug);
  expect(team.status()).toBe(200);
  const info = (await team.json()).team_info as { max_budget: number; models: string[]; budget_duration: string };
  expect(info.max_budget).toBe(100);
  expect(info.models).toEqual(["qwen2.5-0.5b-instruct"]);
  expect(info.budget_duration).toBe("1mo");
});

test("a bad slug is refused next to the field and creates nothing", async ({ as, request }) => {
  const page = await as("platform@example.com", "/tenants/new");
  await fillTenantForm(page, "Bad_Slug");
  const res = await submitTenantForm(page);
  expect(res.status()).toBe(422);
  expect(Object.keys((await res.json()).error.fields)).toEqual(["slug"]);
  await expect(page.locator("#slug-error")).toHaveText(/Lowercase letters, digits and '-'/);
  await expect(page.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/tenants\/new$/);

  for (const id of ["Bad_Slug", "bad_slug", "bad-slug"]) expect((await teamInfo(request, id)).status(), id).toBe(404);
  const tenants = (await (await page.request.get("/api/tenants")).json()) as { tenants: { id: string }[] };
  expect(tenants.tenants.map((t) => t.id.toLowerCase())).not.toContain("bad_slug");

  // The rest of the form was fine: with a valid slug the same form goes through.
  const slug = uniqueSlug();
  await page.getByLabel("Slug").fill(slug);
  expect((await submitTenantForm(page)).status()).toBe(201);
  await expect(page.getByTestId(`tenant-row-${slug}`)).toBeVisible();
});

test("the audit log shows platform admins everything, a tenant admin only their tenant, a developer nothing", async ({ as }) => {
  const slug = uniqueSlug();
  const platform = await as("platform@example.com");
  const created = await platform.request.post("/api/tenants", {
    data: { slug, displayName: `Initech ${slug}`, memberGroups: [], adminGroups: ["initech-admins"], allowedModels: ["qwen2.5-0.5b-instruct"], monthlyBudget: 100 },
  });
  expect(created.status()).toBe(201);

  const stamp = Date.now();
  const dev = await as("dev@acme.example");
  const acmeKey = (await (await dev.request.post("/api/tenants/acme/keys", { data: { alias: `audited-${stamp}`, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 } })).json()).key.id as string;
  expect((await dev.request.post(`/api/tenants/acme/keys/${acmeKey}/revoke`)).status()).toBe(200);
  const globex = await as("dev@globex.example");
  const globexKey = (await (await globex.request.post("/api/tenants/globex/keys", { data: { alias: `audited-${stamp}`, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 } })).json()).key.id as string;

  // Platform admin: the tenant creation, and key events of both tenants.
  await platform.goto("/audit");
  const events = platform.getByRole("table", { name: "Audit events" });
  await platform.getByLabel("Actor email").fill("platform@example.com");
  await platform.getByLabel("Action starts with").fill("tenant.create");
  await platform.getByRole("button", { name: "Filter" }).click();
  await expect(platform).toHaveURL(/action=tenant\.create/);
  const tenantRow = events.getByRole("row").filter({ hasText: `tenant ${slug}` });
  await expect(tenantRow).toContainText("platform@example.com");
  await expect(tenantRow).toContainText("tenant.create");
  await expect(tenantRow).toContainText("success");
  await platform.goto("/audit?action=key.");
  await expect(events.getByRole("row").filter({ hasText: `key ${acmeKey}` })).toHaveText([/key\.revoke/, /key\.create/]);
  await expect(events.getByRole("row").filter({ hasText: `key ${globexKey}` })).toContainText(["key.create"]);

  // Tenant admin of acme: acme's events, never a globex row, and no way to ask for globex.
  const admin = await as("admin@acme.example", "/audit");
  const adminEvents = admin.getByRole("table", { name: "Audit events" });
  await expect(adminEvents.getByRole("row").filter({ hasText: `key ${acmeKey}` })).toHaveCount(2);
  await expect(adminEvents.getByRole("row").filter({ hasText: `key ${globexKey}` })).toHaveCount(0);
  const tenantCells = await adminEvents.locator("tbody tr td:nth-child(3)").allInnerTexts();
  expect(tenantCells.length).toBeGreaterThan(0);
  expect(new Set(tenantCells)).toEqual(new Set(["acme"]));
  expect((await admin.goto("/audit?tenant=globex"))?.status()).toBe(404);
  const api = await admin.request.get("/api/audit?limit=200");
  expect(api.status()).toBe(200);
  expect(new Set(((await api.json()) as { events: { tenantId: string | null }[] }).events.map((e) => e.tenantId))).toEqual(new Set(["acme"]));

  // A developer has no audit log at all.
  const res = await dev.goto("/audit");
  expect(res?.status()).toBe(404);
  await expect(dev.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(dev.getByRole("table", { name: "Audit events" })).toHaveCount(0);
  expect((await dev.request.get("/api/audit")).status()).toBe(403);
});
