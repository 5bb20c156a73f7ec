/**
 * Finance's journey through the cost pages, on the known history `scripts/seed-cost-demo.ts`
 * loads (the OpenCost stand-in's scenario for last and this month, stored by the real snapshot
 * job). Figures are asserted against `scenarioExpectations`, never hand-copied numbers. Last
 * month is used because it is closed: its figures do not move while the test runs.
 */
import { readFile } from "node:fs/promises";
import { expect, type Page } from "@playwright/test";
import { DAILY_COLUMNS } from "../lib/costs/export/columns";
import { centsToDecimal } from "../lib/costs/export/csv";
import { formatCents } from "../lib/money/cents";
import { scenarioExpectations } from "../sandbox/opencost/scenario";
import { test } from "./support";

const now = new Date();
const month = (d: Date) => d.toISOString().slice(0, 7);
const lastMonth = month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
const thisMonth = month(now);
// Both months are loaded, so last month's figures include nothing of this one and vice versa.
const expected = scenarioExpectations(lastMonth, [lastMonth, thisMonth]);
const acme = expected.tenants.acme;
const usd = (cents: number) => formatCents(Math.round(cents), "USD");

async function budgetUsedColumn(page: Page): Promise<Array<number | null>> {
  const cells = await page.locator('tbody tr[data-tenant] td[data-col="budgetUsedPct"]').allInnerTexts();
  return cells.map((t) => (t.trim() === "—" ? null : Number(t.replace("%", ""))));
}

test("finance: Costs table sorted by budget used, a tenant, its CSV and its printed statement", async ({ as }) => {
  const page = await as("finance@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs", exact: true }).click();
  await expect(page).toHaveURL(/\/costs$/);
  await expect(page.getByTestId("idle-sharing")).toBeVisible();

  await page.getByLabel("Period", { exact: true }).selectOption("last-month");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/period=last-month/);

  // Known figures: acme's GPU cost and GPU-hours, to the cent.
  const acmeRow = page.locator('tr[data-tenant="acme"]');
  await expect(acmeRow.locator('td[data-col="gpuCents"]')).toHaveText(usd(acme.gpuCents));
  await expect(acmeRow.locator('td[data-col="cpuCents"]')).toHaveText(usd(acme.cpuCents));
  await expect(page.getByTestId("reconciliation")).toBeVisible();
  await expect(page.getByText(/reconciled \(difference/)).toBeVisible();

  await page.locator('thead a[data-sort="budgetUsedPct"]').click();
  await expect(page).toHaveURL(/sort=budgetUsedPct&dir=desc/);
  const used = await budgetUsedColumn(page);
  const numbers = used.filter((v): v is number => v !== null);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  // Tenants without a budget come last.
  expect(used.slice(numbers.length).every((v) => v === null)).toBe(true);

  // The tenant page opens on the same period.
  await acmeRow.getByRole("link").click();
  await expect(page).toHaveURL(/\/t\/acme\/costs\?period=last-month/);
  await expect(page.getByRole("heading", { name: "Daily cost by category" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Daily cost by category" })).toBeVisible();
  await expect(page.getByTestId("budget-reset")).toContainText(/resets in/);

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Daily CSV" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^costs-acme-.*\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  expect(header).toBe(DAILY_COLUMNS.join(","));
  const cell = (row: string, column: (typeof DAILY_COLUMNS)[number]) => row.split(",")[DAILY_COLUMNS.indexOf(column)]!;
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.startsWith("acme,") && cell(r, "currency") === "USD")).toBe(true);
  // The days add up to the month's GPU cost (rounded once per day at ingestion, in cents).
  const gpuCents = rows.reduce((s, r) => s + Math.round(Number(cell(r, "gpu_cost")) * 100), 0);
  expect(centsToDecimal(gpuCents)).toBe(centsToDecimal(Math.round(acme.gpuCents)));

  await page.getByRole("link", { name: `Statement ${lastMonth}` }).click();
  await expect(page).toHaveURL(new RegExp(`/t/acme/costs/statement\\?month=${lastMonth}`));
  const statement = page.getByTestId("statement");
  await expect(statement.getByRole("heading", { name: `Cost statement · ${lastMonth}` })).toBeVisible();
  await expect(statement.locator('tr[data-line="gpu"] td').last()).toHaveText(usd(acme.gpuCents));
  await expect(statement.getByText(/generated \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { __printed: number; print: () => void };
    w.__printed = 0;
    w.print = () => {
      w.__printed += 1;
    };
  });
  await page.getByRole("button", { name: "Print" }).click();
  expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
  // Printing hides the portal's navigation.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
});

test("a tenant admin sees their tenant's costs and a 404 for another tenant's", async ({ as }) => {
  const page = await as("admin@acme.example");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Costs/ })).toHaveAttribute("href", "/t/acme/costs");
  const own = await page.goto("/t/acme/costs");
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Costs", exact: true })).toBeVisible();
  for (const path of ["/t/globex/costs", "/t/globex/costs/statement", "/costs"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  const api = await page.request.get("/api/costs/tenants/globex/export.csv");
  expect(api.status()).toBe(404);
});

test("a developer gets no cost pages", async ({ as }) => {
  const page = await as("dev@acme.example");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Costs/ })).toHaveCount(0);
  for (const path of ["/costs", "/t/acme/costs", `/t/acme/costs/statement?month=${lastMonth}`]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  expect((await page.request.get("/api/costs/tenants/acme/export.csv")).status()).toBe(403);
  expect((await page.request.get("/api/costs/export.csv")).status()).toBe(403);
});
