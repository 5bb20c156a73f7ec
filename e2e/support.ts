import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_USERS, type DemoUser } from "../sandbox/demo-users";
import { E2E } from "./env";

export function demoUser(email: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
}

/** Signs in through the Dex stand-in's login page, as a person would. */
export async function signIn(page: Page, email: string, path = "/"): Promise<void> {
  const user = demoUser(email);
  await page.goto(path);
  await page.waitForURL(/\/dex\//);
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.origin === E2E.portalUrl && !url.pathname.startsWith("/signin"));
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** LiteLLM's own view (the sandbox through its real management API): token hashes of a team's keys, all pages. */
export async function litellmTokens(request: APIRequestContext, teamId: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let page = 1; ; page++) {
    const res = await request.get(`${E2E.litellmUrl}/key/list?team_id=${teamId}&return_full_object=true&size=100&page=${page}`, {
      headers: { authorization: `Bearer ${E2E.masterKey}` },
    });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { keys: { token: string }[]; total_pages: number };
    tokens.push(...body.keys.map((k) => k.token));
    if (page >= body.total_pages) return tokens;
  }
}

/** A test with `as(email, path?)`: a fresh browser context signed in as that demo user. */
export const test = base.extend<{ as: (email: string, path?: string) => Promise<Page> }>({
  as: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email, path = "/") => {
      const context = await browser.newContext({ baseURL: E2E.portalUrl });
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, email, path);
      return page;
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});
