/**
 * Live dashboards (issue 4): the real Prometheus scrapes the simulated fleet that the seeded demo
 * deployments run on; this spec drives traffic through LiteLLM so the serving panels have data.
 */
import { expect, type Page } from "@playwright/test";
import { createLoadKey, type LoadKey } from "../sandbox/load/litellm-key";
import { startLoad, type LoadRun } from "../sandbox/load/run-load";
import { E2E } from "./env";
import { test } from "./support";

const loads: Array<{ key: LoadKey; run: LoadRun }> = [];

test.beforeAll(async () => {
  // Streaming chats on both tenants' Qwen deployments, for the whole spec.
  for (const slug of ["acme", "globex"]) {
    const key = await createLoadKey(E2E.litellmUrl, E2E.masterKey, { slug, displayName: slug }, ["qwen2.5-0.5b-instruct"]);
    // Paced well under the tenants' LiteLLM rpm limits, which later journeys share.
    const run = startLoad({ litellmUrl: E2E.litellmUrl, apiKey: key.secret, model: "qwen2.5-0.5b-instruct", concurrency: 3, rate: 2, promptMix: "short" });
    loads.push({ key, run });
  }
});

test.afterAll(async () => {
  await Promise.all(loads.map(async ({ key, run }) => (await run.stop(), await key.delete())));
});

/** Waits until every panel on the page settled as "ok" (auto-refresh brings new data in). */
async function expectAllPanelsOk(page: Page, minimum: number) {
  const panels = page.locator('[data-testid^="panel-"]');
  await expect(async () => {
    const states = await panels.evaluateAll((els) => els.map((e) => `${e.getAttribute("data-testid")}=${e.getAttribute("data-state")}`));
    expect(states.length).toBeGreaterThanOrEqual(minimum);
    expect(states.filter((s) => !s.endsWith("=ok"))).toEqual([]);
  }).toPass({ timeout: 120_000, intervals: [2_000] });
}

test("a platform admin sees every Fleet panel with data under load", async ({ as }) => {
  test.setTimeout(180_000);
  const page = await as("platform@example.com", "/fleet?range=15m&refresh=10s");
  await expect(page.getByRole("heading", { name: "Fleet", level: 1 })).toBeVisible();
  await expectAllPanelsOk(page, 12);
  // The deployments the GitOps seeding put in the platform repo are listed with links to their pages.
  const deployments = page.getByTestId("deployments-table");
  await expect(deployments.getByRole("link", { name: /qwen-chat/ })).toBeVisible();
  await expect(deployments.getByRole("link", { name: /qwen-support/ })).toBeVisible();
  // The range is part of the URL: a shared link opens the same view.
  await page.getByTestId("range-picker").getByRole("button", { name: "1h" }).click();
  await expect(page).toHaveURL(/range=1h/);
});

test("the model page shows SLO attainment tiles and the serving panels", async ({ as }) => {
  test.setTimeout(180_000);
  const page = await as("admin@acme.example", "/t/acme/deployments/qwen-chat?range=15m&refresh=10s&ttft=500&itl=50");
  for (const tile of ["slo-tile-ttft", "slo-tile-itl"]) {
    await expect(page.getByTestId(tile)).toHaveAttribute("data-state", "ok", { timeout: 120_000 });
  }
  await expect(page.getByTestId("slo-tile-ttft")).toContainText("%");
  await expect(page.getByTestId("panel-ttft")).toHaveAttribute("data-state", "ok");
  await expect(page.getByTestId("panel-replicas")).toHaveAttribute("data-state", "ok");
});

test("a tenant developer sees their own usage, and nothing of the fleet or of other tenants", async ({ as }) => {
  test.setTimeout(180_000);
  const page = await as("dev@globex.example", "/t/globex/usage?range=15m&refresh=10s");
  await expect(page.getByTestId("panel-tokens-total")).toHaveAttribute("data-state", "ok", { timeout: 120_000 });
  await expect(page.getByTestId("deployments-table")).toContainText("qwen-support");
  await expect(page.getByTestId("deployments-table")).not.toContainText("qwen-chat");

  for (const path of ["/fleet", "/explore", "/t/acme/usage", "/t/acme/deployments/qwen-chat"]) {
    const res = await page.goto(path);
    expect([403, 404], path).toContain(res?.status());
  }
  const fleet = await page.request.get("/api/metrics/dashboards/fleet?range=15m");
  expect(fleet.status()).toBe(403);
  const other = await page.request.get("/api/metrics/dashboards/tenant?range=15m&namespace=acme");
  expect(other.status()).toBe(404);
  const explore = await page.request.get(`/api/metrics/explore?query=${encodeURIComponent('vllm:num_requests_running{namespace="acme"}')}`);
  expect(explore.status()).toBe(403);
});

test("with Prometheus down the Fleet page says so, panel by panel, and recovers", async ({ as, request }) => {
  test.setTimeout(180_000);
  const page = await as("platform@example.com", "/fleet?range=15m&refresh=10s");
  await expect(page.getByTestId("panel-gpu-util")).toHaveAttribute("data-state", "ok", { timeout: 60_000 });
  expect((await request.post(`${E2E.controlUrl}/prometheus/stop`)).status()).toBe(200);
  try {
    await page.reload();
    await expect(page.getByTestId("prometheus-banner")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("prometheus-banner")).toContainText(/Prometheus/);
    await expect(page.getByTestId("panel-gpu-util")).toHaveAttribute("data-state", "error");
    await expect(page.getByTestId("panel-gpu-util")).toContainText(/unreachable|refused|Prometheus/i);
    // Still a working page: navigation and the range picker respond.
    await expect(page.getByRole("heading", { name: "Fleet", level: 1 })).toBeVisible();
    await page.getByTestId("range-picker").getByRole("button", { name: "1h" }).click();
    await expect(page).toHaveURL(/range=1h/);
  } finally {
    expect((await request.post(`${E2E.controlUrl}/prometheus/start`)).status()).toBe(200);
  }
  await expect(page.getByTestId("prometheus-banner")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId("panel-gpu-util")).toHaveAttribute("data-state", "ok", { timeout: 60_000 });
});

test("a platform admin explores with raw PromQL; Prometheus's own error is shown as text", async ({ as }) => {
  const page = await as("platform@example.com", "/explore?range=15m");
  await page.getByLabel("PromQL", { exact: true }).fill('sum by (namespace) (vllm:num_requests_running{namespace=~"acme|globex"})');
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page).toHaveURL(/query=/);
  await expect(page.getByTestId("panel-explore")).toHaveAttribute("data-state", "ok", { timeout: 30_000 });
  await expect(page.getByTestId("panel-explore")).toContainText("acme");

  // A broken query, with markup in it: Prometheus's parse error comes back, escaped, and nothing runs.
  await page.getByLabel("PromQL", { exact: true }).fill('sum(<img src=x onerror="window.__pwned=1">');
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page.getByTestId("explore-error")).toContainText(/parse error/i);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
