/**
 * Regenerates the README's pictures: docs/fleet.png (the Fleet dashboard as a platform admin,
 * with streaming traffic on the demo deployments so every panel has data) and docs/screenshot.png
 * (the keys page with a freshly created key shown once). Needs a build (`npm run build`); starts
 * its own stack (built portal, sandbox with the real Prometheus, fresh database) on shifted ports.
 */
export {};
process.env.E2E_PORT_OFFSET ??= "30";
const { chromium } = await import("@playwright/test");
type Page = import("@playwright/test").Page;
const { E2E } = await import("../e2e/env");
const { DEMO_USERS } = await import("../sandbox/demo-users");
const { startStack } = await import("../bench/stack");
const { createLoadKey } = await import("../sandbox/load/litellm-key");
const { startLoad } = await import("../sandbox/load/run-load");

type Load = { key: Awaited<ReturnType<typeof createLoadKey>>; run: ReturnType<typeof startLoad> };

async function signIn(page: Page, email: string, path: string): Promise<void> {
  const user = DEMO_USERS.find((u) => u.email === email)!;
  await page.goto(`${E2E.portalUrl}${path}`);
  await page.waitForURL(/\/dex\//);
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.origin === E2E.portalUrl && url.pathname === path.split("?")[0]);
}

/** A LiteLLM key of the tenant's team; the portal's outbox may still be creating the team right after start. */
async function loadKey(slug: string, model: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createLoadKey(E2E.litellmUrl, E2E.masterKey, { slug, displayName: slug }, [model]);
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

const stack = await startStack();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const loads: Load[] = [];
try {
  // Steady, uneven traffic per deployment, kept under the demo tenants' LiteLLM rpm/tpm limits
  // (acme 600 rpm, globex 300 rpm) so nothing is throttled into gaps.
  const loadStart = Math.floor(Date.now() / 1000);
  for (const [slug, model, concurrency, rate] of [["acme", "qwen2.5-0.5b-instruct", 12, 6], ["globex", "qwen2.5-0.5b-instruct", 6, 3], ["acme", "llama-3.1-8b-instruct", 3, 1]] as const) {
    const key = await loadKey(slug, model);
    loads.push({ key, run: startLoad({ litellmUrl: E2E.litellmUrl, apiKey: key.secret, model, concurrency, rate, promptMix: "mixed" }) });
  }
  // A few minutes of live data (the stack scrapes every 2 s), shown over exactly that window.
  await new Promise((r) => setTimeout(r, Number(process.env.SCREENSHOT_WARMUP_MS ?? 150_000)));

  const fleet = await (await browser.newContext({ viewport: { width: 1440, height: 1100 } })).newPage();
  await signIn(fleet, "platform@example.com", `/fleet?from=${loadStart}&to=${Math.floor(Date.now() / 1000)}`);
  const panels = fleet.locator('[data-testid^="panel-"]');
  for (let waited = 0; ; waited += 2_000) {
    const states = await panels.evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
    if (states.length >= 12 && states.every((s) => s === "ok")) break;
    if (waited > 120_000) throw new Error(`Fleet panels did not all load: ${states.join(", ")}`);
    await fleet.waitForTimeout(2_000);
  }
  // The serving charts (not the deployments table above them), without the navigation column.
  await fleet.waitForTimeout(1_000); // let the charts finish drawing
  const heading = (await fleet.getByRole("heading", { name: "Serving", level: 2 }).boundingBox())!;
  const left = Math.max(0, heading.x - 32);
  await fleet.screenshot({ path: "docs/fleet.png", fullPage: true, clip: { x: left, y: heading.y - 24, width: 1440 - left, height: 960 } });
  console.log("docs/fleet.png written");

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(page, "dev@acme.example", "/t/acme/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByLabel("Alias").fill("notebook");
  await page.getByLabel("Qwen2.5 0.5B Instruct").check();
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  await page.getByTestId("new-key-secret").waitFor();
  await page.waitForTimeout(600); // let the dialog finish animating in
  await page.screenshot({ path: "docs/screenshot.png" });
  console.log("docs/screenshot.png written");
} finally {
  await Promise.all(loads.map(async ({ key, run }) => (await run.stop(), await key.delete().catch(() => undefined))));
  await browser.close();
  stack.kill("SIGTERM");
}
