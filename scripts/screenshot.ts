/**
 * Regenerates docs/screenshot.png (the README's picture): the keys page with a freshly created
 * key shown once. Needs a build (`npm run build`); starts its own stack on shifted ports.
 */
export {};
process.env.E2E_PORT_OFFSET ??= "30";
const { chromium } = await import("@playwright/test");
const { E2E } = await import("../e2e/env");
const { startStack } = await import("../bench/stack");

const stack = await startStack();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${E2E.portalUrl}/t/acme/keys`);
  await page.waitForURL(/\/dex\//);
  await page.getByLabel("Email address").fill("dev@acme.example");
  await page.getByLabel("Password").fill("acme-dev-pass");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${E2E.portalUrl}/t/acme/keys`);
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByLabel("Alias").fill("notebook");
  await page.getByLabel("Qwen2.5 0.5B Instruct").check();
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  await page.getByTestId("new-key-secret").waitFor();
  await page.waitForTimeout(600); // let the dialog finish animating in
  await page.screenshot({ path: "docs/screenshot.png" });
  console.log("docs/screenshot.png written");
} finally {
  await browser.close();
  stack.kill("SIGTERM");
}
