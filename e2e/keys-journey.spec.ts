/**
 * The developer journey end to end: sign in through Dex, create a key in the UI, paste the curl
 * snippet the portal shows into a real shell against the gateway, then revoke or regenerate the
 * key and watch the gateway refuse the old secret.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./env";
import { signIn, litellmTokens } from "./support";

const run = promisify(execFile);
const QWEN = { id: "qwen2.5-0.5b-instruct", name: "Qwen2.5 0.5B Instruct" };
const sha256 = (secret: string) => createHash("sha256").update(secret).digest("hex");

/**
 * Token hashes LiteLLM holds for a team, read through its management API. LiteLLM refuses a
 * page size above 100, so this pages (support.ts `litellmKeys` asks for size=1000 and gets 422).
 */
/** Runs a snippet exactly as a developer pasted it, only asking curl to print the status too. */
async function runCurlSnippet(snippet: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run("bash", ["-c", `${snippet} -sS -w '\\n%{http_code}'`], { timeout: 20_000 });
  const cut = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

async function chat(secret: string): Promise<Response> {
  return fetch(`${E2E.litellmUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: QWEN.id, messages: [{ role: "user", content: "ping" }] }),
  });
}

/** Fills the create dialog for the Qwen model and returns the portal's answer and the secret shown. */
async function createKeyInUi(page: Page, alias: string): Promise<{ id: string; secret: string }> {
  await page.getByRole("button", { name: "Create key" }).click();
  const form = page.getByRole("dialog", { name: "Create an API key" });
  await form.getByLabel("Alias").fill(alias);
  await form.getByRole("checkbox", { name: new RegExp(`^${QWEN.name.replace(/\./g, "\\.")}`) }).check();
  await form.getByLabel("Expires in (days)").fill("30");
  const created = page.waitForResponse((r) => r.url().endsWith("/api/tenants/acme/keys") && r.request().method() === "POST");
  await form.getByRole("button", { name: "Create key" }).click();
  const res = await created;
  expect(res.status()).toBe(201);
  const body = (await res.json()) as { key: { id: string; alias: string; models: string[]; status: string }; secret: string };
  expect(body.key).toMatchObject({ alias, models: [QWEN.id], status: "active" });
  await expect(form).toBeHidden();
  const secret = (await page.getByTestId("new-key-secret").textContent()) ?? "";
  expect(secret).toBe(body.secret);
  return { id: body.key.id, secret };
}

async function closeSecretDialog(page: Page) {
  await page.getByRole("button", { name: "I have stored the key" }).click();
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
}

async function confirmRowAction(page: Page, alias: string, verb: "Revoke" | "Regenerate") {
  const done = page.waitForResponse((r) => r.url().endsWith(`/${verb.toLowerCase()}`) && r.request().method() === "POST");
  await page.getByTestId(`key-row-${alias}`).getByRole("button", { name: `${verb} ${alias}` }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(alias);
  await confirm.getByRole("button", { name: verb, exact: true }).click();
  expect((await done).status()).toBe(200);
}

test("a developer creates a key, calls the gateway with the pasted curl snippet, then revokes it", async ({ page, request }) => {
  const alias = `journey-${Date.now()}`;
  await signIn(page, "dev@acme.example");

  const card = page.getByTestId("tenant-card-acme");
  await expect(card.getByText("Developer", { exact: true })).toBeVisible();
  await expect(page.getByTestId("tenant-card-globex")).toHaveCount(0);
  await card.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/keys$/);

  const { id, secret } = await createKeyInUi(page, alias);
  expect(secret).toMatch(/^sk-/);

  const secretDialog = page.getByRole("dialog", { name: `Your key “${alias}”` });
  await expect(secretDialog.getByText("It is shown only once")).toBeVisible();
  await expect(secretDialog.getByRole("button", { name: "Copy key" })).toBeVisible();
  const tabs = ["curl", "Python (openai)", "JavaScript (openai)", "Environment"];
  await expect(secretDialog.getByRole("tab")).toHaveText(tabs);
  for (const tab of tabs) {
    await secretDialog.getByRole("tab", { name: tab }).click();
    await expect(secretDialog.getByRole("tabpanel").locator("pre code")).toContainText(secret);
  }

  await secretDialog.getByRole("tab", { name: "curl" }).click();
  const curl = (await secretDialog.getByRole("tabpanel").locator("pre code").textContent()) ?? "";
  expect(curl).toContain(`${E2E.litellmUrl}/v1/chat/completions`);
  const first = await runCurlSnippet(curl);
  expect(first.status, first.body).toBe(200);
  const completion = JSON.parse(first.body) as { object: string; model: string; choices: { message: { role: string; content: string } }[] };
  expect(completion.object).toBe("chat.completion");
  expect(completion.model).toContain(QWEN.id);
  expect(completion.choices).toHaveLength(1);
  expect(completion.choices[0]?.message.role).toBe("assistant");
  expect(completion.choices[0]?.message.content.length).toBeGreaterThan(0);

  // Control for the check after the reload: while the dialog is open the secret is in the page.
  expect(await page.content()).toContain(secret);
  await closeSecretDialog(page);
  await page.reload();
  const row = page.getByTestId(`key-row-${alias}`);
  await expect(row).toContainText(`sk-…${secret.slice(-4)}`);
  await expect(row.getByText("active", { exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  expect(await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]))).not.toContain(secret);
  const detail = await page.request.get(`/api/tenants/acme/keys/${id}`);
  expect(detail.status()).toBe(200);
  expect(await detail.text()).not.toContain(secret);

  expect(await litellmTokens(request, "acme")).toContain(sha256(secret));
  await confirmRowAction(page, alias, "Revoke");
  await expect(row.getByText("revoked", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Revoke ${alias}` })).toHaveCount(0);

  const after = await runCurlSnippet(curl);
  expect(after.status, after.body).toBe(401);
  expect(await litellmTokens(request, "acme")).not.toContain(sha256(secret));
});

test("regenerating a key shows a new secret once; the old one stops working at the gateway", async ({ page, request }) => {
  const alias = `regen-${Date.now()}`;
  await signIn(page, "dev@acme.example", "/t/acme/keys");
  const { secret: oldSecret } = await createKeyInUi(page, alias);
  await closeSecretDialog(page);
  expect((await chat(oldSecret)).status).toBe(200);

  await confirmRowAction(page, alias, "Regenerate");
  const secretDialog = page.getByRole("dialog", { name: `Your key “${alias}”` });
  const newSecret = (await secretDialog.getByTestId("new-key-secret").textContent()) ?? "";
  expect(newSecret).toMatch(/^sk-/);
  expect(newSecret).not.toBe(oldSecret);
  await expect(secretDialog.getByRole("tabpanel").locator("pre code")).toContainText(newSecret);
  await closeSecretDialog(page);
  await expect(page.getByTestId(`key-row-${alias}`)).toContainText(`sk-…${newSecret.slice(-4)}`);

  const oldRes = await chat(oldSecret);
  expect(oldRes.status).toBe(401);
  const newRes = await chat(newSecret);
  expect(newRes.status).toBe(200);
  expect(((await newRes.json()) as { object: string }).object).toBe("chat.completion");

  const tokens = await litellmTokens(request, "acme");
  expect(tokens).toContain(sha256(newSecret));
  expect(tokens).not.toContain(sha256(oldSecret));
});
