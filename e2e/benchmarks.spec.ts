/**
 * Benchmarks (issue 6): a platform admin sweeps a seeded demo deployment through the gateway
 * and compares the result with the published reference run; a tenant admin cannot reach another
 * tenant's deployment and a malformed import stores nothing. The worker's benchmark loop runs
 * inside the e2e portal (embedded worker), against the simulated fleet through LiteLLM.
 */
import { expect } from "@playwright/test";
import { test } from "./support";

const REFERENCE_ID = "00000000-0000-4000-8000-00000000b001";

test("a platform admin runs a small sweep, watches it, opens the result and compares it with the reference", async ({ as }) => {
  test.setTimeout(180_000);
  const page = await as("platform@example.com", "/benchmarks");
  await expect(page.getByRole("heading", { name: "Benchmarks", level: 1 })).toBeVisible();
  await expect(page.getByTestId("runs-table")).toContainText("reference (imported)");

  const form = page.getByRole("form", { name: "New benchmark run" });
  await form.getByLabel("Deployment (tenant/name)").fill("acme/qwen-chat");
  await form.getByLabel("Levels").fill("1,2,4");
  await form.getByLabel("Step length").fill("5");
  await form.getByLabel("Prompt tokens").fill("64");
  await form.getByLabel("Output tokens").fill("32");
  await form.getByLabel("GPU type (if not shipped by the portal)").selectOption("L4");
  await form.getByLabel("GPU count").fill("1");
  await form.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/benchmarks\/[0-9a-f-]{36}$/);
  const runUrl = page.url();

  // Live progress while it runs: step, requests done, current TTFT.
  const progress = page.getByTestId("run-progress");
  await expect(progress).toContainText(/Step \d of 3/, { timeout: 30_000 });
  await expect(progress).toContainText(/requests done/);

  // Done: the page refreshes itself into the stored result.
  await expect(page.getByTestId("steps-table")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByTestId("steps-table").getByRole("row")).toHaveCount(4);
  await expect(page.getByTestId("steps-table")).toContainText("c=4");
  await expect(page.getByTestId("cost-at-slo")).toContainText(/\$|No step met the SLO/);
  await expect(page.getByTestId("server-signals")).toBeVisible({ timeout: 30_000 });

  await page.getByRole("link", { name: "Compare with the reference run" }).click();
  await page.waitForURL(/\/benchmarks\/compare\?ids=/);
  expect(page.url()).toContain(REFERENCE_ID);
  await expect(page.getByTestId("compare-charts")).toBeVisible();
  await expect(page.getByTestId("compare-table")).toContainText("c=32");
  await expect(page.getByTestId("compare-table")).toContainText("c=4");
  expect(runUrl).toMatch(/benchmarks/);
});

test("a tenant admin cannot start a run against another tenant's deployment (404), and sees only their limits", async ({ as }) => {
  const page = await as("admin@acme.example", "/benchmarks");
  const across = await page.request.post("/api/benchmarks", {
    data: { target: { kind: "deployment", namespace: "globex", name: "qwen-support" }, sweep: { kind: "concurrency", levels: [1] }, step: { durationS: 5 } },
  });
  expect(across.status()).toBe(404);
  const unknown = await page.request.post("/api/benchmarks", {
    data: { target: { kind: "deployment", namespace: "acme", name: "does-not-exist" }, sweep: { kind: "concurrency", levels: [1] }, step: { durationS: 5 } },
  });
  expect(unknown.status()).toBe(404);
  expect(((await across.json()) as { error: { message: string } }).error.message).toBe(((await unknown.json()) as { error: { message: string } }).error.message);

  // Through the form: over the tenant admin's concurrency limit is a field error, nothing queued.
  const form = page.getByRole("form", { name: "New benchmark run" });
  await form.getByLabel("Deployment (tenant/name)").fill("acme/qwen-chat");
  await form.getByLabel("Levels").fill("1,64");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("Concurrency 64 exceeds your limit of 32")).toBeVisible();
  await expect(page).toHaveURL(/\/benchmarks$/);
  // The direct endpoint is not offered to a tenant admin.
  await expect(form.getByRole("option", { name: /Direct/ })).toHaveCount(0);
});

test("a malformed import shows a field error and creates nothing", async ({ as }) => {
  const page = await as("admin@acme.example", "/benchmarks");
  const before = ((await (await page.request.get("/api/benchmarks")).json()) as { runs: unknown[] }).runs.length;
  const form = page.getByRole("form", { name: "Import benchmark results" });
  await form.getByLabel("Format").selectOption("vllm");
  await form.getByLabel("Result file").setInputFiles({ name: "result.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ date: "2026", ttft: "slow" })) });
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByText(/Not a valid vllm bench serve result/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/benchmarks$/);
  const after = ((await (await page.request.get("/api/benchmarks")).json()) as { runs: unknown[] }).runs.length;
  expect(after).toBe(before);
});

test("finance has no benchmarks, and a developer sees runs but no New run form", async ({ as }) => {
  const finance = await as("finance@example.com", "/");
  expect((await finance.goto("/benchmarks"))?.status()).toBe(404);
  expect(((await (await finance.request.get("/api/benchmarks")).json()) as { runs: unknown[] }).runs).toEqual([]);
  const dev = await as("dev@acme.example", "/benchmarks");
  await expect(dev.getByTestId("runs-table")).toContainText("reference (imported)");
  await expect(dev.getByRole("form", { name: "New benchmark run" })).toHaveCount(0);
});
