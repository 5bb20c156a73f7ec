/**
 * Two tenants, several roles: what one principal must not see or touch of another's. "Exists but
 * not yours" must look exactly like "does not exist" (404), in pages, titles and the API.
 */
import { createHash } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { E2E } from "./env";
import { signIn, litellmTokens, test } from "./support";

const sha256 = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** Token hashes LiteLLM holds for a team (pages of 100: LiteLLM refuses larger pages). */
type CreatedKey = { id: string; alias: string; secret: string };

async function createKeyViaApi(page: Page, tenant: string, alias: string): Promise<CreatedKey> {
  const res = await page.request.post(`/api/tenants/${tenant}/keys`, {
    data: { alias, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { key: { id: string }; secret: string };
  return { id: body.key.id, alias, secret: body.secret };
}

/** Next's not-found page, with nothing of the hidden tenant or key in title, text or markup. */
async function expectOpaqueNotFound(page: Page, path: string, secrets: string[]) {
  const res = await page.goto(path);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect(await page.title()).not.toMatch(/acme/i);
  expect(await page.locator("body").innerText()).not.toMatch(/acme/i);
  const html = await page.content();
  for (const s of secrets) expect(html).not.toContain(s);
}

test("a globex developer gets the same 404 for acme's pages and API as for things that do not exist", async ({ as, request }) => {
  const acme = await as("dev@acme.example");
  const key = await createKeyViaApi(acme, "acme", `victim-${Date.now()}`);
  const globex = await as("dev@globex.example");

  // Every name the acme key and tenant have: none of them may reach a globex developer.
  const acmeNames = ["Acme Research", key.alias, key.secret];
  await expectOpaqueNotFound(globex, "/t/acme/keys", acmeNames);
  await expectOpaqueNotFound(globex, `/t/acme/keys/${key.id}`, acmeNames);
  // The key id under the developer's own tenant is not a way in either.
  await expectOpaqueNotFound(globex, `/t/globex/keys/${key.id}`, acmeNames);

  const missing = await globex.request.get("/api/tenants/no-such-tenant/keys");
  expect(missing.status()).toBe(404);
  const missingBody = await missing.json();
  const attempts = [
    globex.request.get("/api/tenants/acme/keys"),
    globex.request.get(`/api/tenants/acme/keys/${key.id}`),
    globex.request.post(`/api/tenants/acme/keys/${key.id}/revoke`),
    globex.request.post(`/api/tenants/acme/keys/${key.id}/regenerate`),
    globex.request.post("/api/tenants/acme/keys", { data: { alias: `intruder-${Date.now()}`, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 } }),
    globex.request.post(`/api/tenants/globex/keys/${key.id}/revoke`),
  ];
  for (const res of await Promise.all(attempts)) {
    expect(res.status(), res.url()).toBe(404);
    const body = await res.json();
    expect({ code: body.error.code, message: body.error.message }).toEqual({ code: missingBody.error.code, message: missingBody.error.message });
    expect(JSON.stringify(body)).not.toContain(key.alias);
  }

  // Nothing happened to the key: LiteLLM still holds it, it still answers, the owner sees it active.
  expect(await litellmTokens(request, "acme")).toContain(sha256(key.secret));
  const owned = await acme.request.get(`/api/tenants/acme/keys/${key.id}`);
  expect(owned.status()).toBe(200);
  expect((await owned.json()).key.status).toBe("active");
  const gateway = await request.post(`${E2E.litellmUrl}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${key.secret}` },
    data: { model: "qwen2.5-0.5b-instruct", messages: [{ role: "user", content: "still there?" }] },
  });
  expect(gateway.status()).toBe(200);
  const acmeAliases = ((await acme.request.get("/api/tenants/acme/keys").then((r) => r.json())) as { keys: { alias: string }[] }).keys.map((k) => k.alias);
  expect(acmeAliases.filter((a) => a.startsWith("intruder-"))).toEqual([]);
});

test("an acme developer cannot see another member's key; the tenant admin sees and revokes theirs", async ({ as, request }) => {
  const stamp = Date.now();
  const admin = await as("admin@acme.example");
  const adminKey = await createKeyViaApi(admin, "acme", `admin-own-${stamp}`);
  const dev = await as("dev@acme.example");
  const devKey = await createKeyViaApi(dev, "acme", `dev-own-${stamp}`);

  await expectOpaqueNotFound(dev, `/t/acme/keys/${adminKey.id}`, [adminKey.alias, adminKey.secret]);
  for (const res of [
    await dev.request.get(`/api/tenants/acme/keys/${adminKey.id}`),
    await dev.request.post(`/api/tenants/acme/keys/${adminKey.id}/revoke`),
    await dev.request.post(`/api/tenants/acme/keys/${adminKey.id}/regenerate`),
  ]) {
    expect(res.status(), res.url()).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  }
  // The developer's list holds their own key and not the admin's.
  await dev.goto("/t/acme/keys");
  await expect(dev.getByTestId(`key-row-${devKey.alias}`)).toBeVisible();
  await expect(dev.getByTestId(`key-row-${adminKey.alias}`)).toHaveCount(0);
  await expect(dev.getByRole("columnheader", { name: "Owner" })).toHaveCount(0);
  expect(await litellmTokens(request, "acme")).toContain(sha256(adminKey.secret));

  await admin.goto("/t/acme/keys");
  await expect(admin.getByRole("columnheader", { name: "Owner" })).toBeVisible();
  const row = admin.getByTestId(`key-row-${devKey.alias}`);
  await expect(row).toContainText("dev@acme.example");
  await expect(admin.getByTestId(`key-row-${adminKey.alias}`)).toContainText("admin@acme.example");
  // Regenerating shows the new secret to whoever does it, so only the owner may.
  await expect(row.getByRole("button", { name: `Regenerate ${devKey.alias}` })).toHaveCount(0);
  const revoked = admin.waitForResponse((r) => r.url().endsWith(`/keys/${devKey.id}/revoke`));
  await row.getByRole("button", { name: `Revoke ${devKey.alias}` }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Revoke", exact: true }).click();
  expect((await revoked).status()).toBe(200);
  await expect(row.getByText("revoked", { exact: true })).toBeVisible();
  expect(await litellmTokens(request, "acme")).not.toContain(sha256(devKey.secret));
});

test("only a platform admin gets the tenants page and the admin navigation", async ({ as }) => {
  const platform = await as("platform@example.com", "/tenants");
  await expect(platform).toHaveURL(/\/tenants$/);
  await expect(platform.getByTestId("tenant-row-acme")).toContainText("Acme Research");
  await expect(platform.getByTestId("tenant-row-globex")).toContainText("Globex Analytics");
  const platformNav = platform.getByRole("navigation", { name: "Main" });
  await expect(platformNav.getByRole("link", { name: "Tenants" })).toBeVisible();
  await expect(platformNav.getByRole("link", { name: "Audit log" })).toBeVisible();

  const dev = await as("dev@acme.example");
  const nav = dev.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "API keys" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Tenants" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  for (const path of ["/tenants", "/tenants/new"]) {
    const res = await dev.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(dev.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(dev.getByTestId("tenant-row-globex")).toHaveCount(0);
  }
  const api = await dev.request.get("/api/tenants");
  expect(api.status()).toBe(200);
  expect(((await api.json()) as { tenants: { id: string }[] }).tenants.map((t) => t.id)).toEqual(["acme"]);
});
