/**
 * Who gets in: nothing of the portal without a Dex session, the API answers 401 in its one error
 * shape, cross-site writes are refused, and signing out really ends the session.
 */
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { demoUser, signIn, litellmTokens } from "./support";

/** Token hashes LiteLLM holds for a team (pages of 100: LiteLLM refuses larger pages). */
const keyBody = (alias: string) => ({ alias, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 });

for (const path of ["/", "/t/acme/keys", "/audit"]) {
  test(`a signed-out visit to ${path} ends on the Dex login page and comes back after sign-in`, async ({ page }) => {
    await page.goto(path);
    await page.waitForURL(/\/dex\//);
    expect(new URL(page.url()).origin).toBe(new URL(E2E.dexIssuer).origin);
    await expect(page.getByLabel("Email address")).toBeVisible();
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
    // No portal session cookie was issued on the way.
    const cookies = await page.context().cookies(E2E.portalUrl);
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);

    // platform@example.com can open every one of these pages, so landing on `path` is the deep link working.
    const user = demoUser("platform@example.com");
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(`${E2E.portalUrl}${path}`);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });
}

test("the API answers 401 in the error shape without a session", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: E2E.portalUrl });
  const calls = [
    anonymous.get("/api/me"),
    anonymous.get("/api/tenants/acme/keys"),
    anonymous.post("/api/tenants/acme/keys", { data: keyBody(`anon-${Date.now()}`) }),
    anonymous.get("/api/audit"),
    anonymous.get("/api/tenants"),
  ];
  for (const res of await Promise.all(calls)) {
    expect(res.status(), res.url()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/json");
    const body = await res.json();
    expect(body).toEqual({ error: { code: "unauthenticated", message: expect.any(String), requestId: expect.any(String) } });
  }
  // A cookie the portal did not sign is no session either.
  const forged = await anonymous.get("/api/me", { headers: { cookie: "next-auth.session-token=forged.jwt.value" } });
  expect(forged.status()).toBe(401);
  await anonymous.dispose();
});

test("a signed-in POST from another site is refused and creates nothing", async ({ page, request }) => {
  await signIn(page, "dev@acme.example");
  const listed = async () => ((await (await page.request.get("/api/tenants/acme/keys")).json()) as { total: number }).total;
  const tokensBefore = await litellmTokens(request, "acme");
  const portalBefore = await listed();

  const evil = await page.request.post("/api/tenants/acme/keys", {
    headers: { origin: "https://evil.example" },
    data: keyBody(`csrf-${Date.now()}`),
  });
  expect(evil.status()).toBe(403);
  expect((await evil.json()).error.code).toBe("forbidden");
  const crossSite = await page.request.post("/api/tenants/acme/keys", {
    headers: { "sec-fetch-site": "cross-site" },
    data: keyBody(`csrf-site-${Date.now()}`),
  });
  expect(crossSite.status()).toBe(403);
  expect(await litellmTokens(request, "acme")).toEqual(tokensBefore);
  expect(await listed()).toBe(portalBefore);

  // The same session and body from the portal's own origin works, so the refusal above was the origin.
  const same = await page.request.post("/api/tenants/acme/keys", {
    headers: { origin: E2E.portalUrl },
    data: keyBody(`same-origin-${Date.now()}`),
  });
  expect(same.status()).toBe(201);
  expect(await listed()).toBe(portalBefore + 1);
});

test("a wrong password on Dex shows an error and signs nobody in", async ({ page }) => {
  await page.goto("/");
  await page.waitForURL(/\/dex\//);
  await page.getByLabel("Email address").fill("dev@acme.example");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("Invalid Email Address and password");
  expect(page.url()).toContain("/dex/");
  await expect(page.getByLabel("Password")).toBeVisible();
  expect((await page.request.get("/api/me")).status()).toBe(401);
  const home = await page.request.get("/", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(home.headers().location).toContain("/signin");
});

test("signing out ends the session: back to the sign-in page and the API answers 401", async ({ page }) => {
  await signIn(page, "dev@acme.example");
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe("dev@acme.example");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin\?signedOut=1/);
  // After signing out the portal waits for a click instead of bouncing straight back to Dex.
  await expect(page.getByRole("button", { name: "Sign in with Dex" })).toBeVisible();
  expect((await page.request.get("/api/me")).status()).toBe(401);
  const keys = await page.request.get("/t/acme/keys", { maxRedirects: 0 });
  expect(keys.status()).toBe(307);
  expect(keys.headers().location).toContain("/signin");
});
