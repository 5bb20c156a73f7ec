import { expect, type APIRequestContext, type Page } from "@playwright/test";
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

/** LiteLLM's own view (the sandbox through its real management API): keys of a team. */
export async function litellmKeys(request: APIRequestContext, teamId: string): Promise<Array<{ token: string; key_alias: string | null }>> {
  const res = await request.get(`${E2E.litellmUrl}/key/list?team_id=${teamId}&return_full_object=true&size=1000`, {
    headers: { authorization: `Bearer ${E2E.masterKey}` },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).keys;
}
