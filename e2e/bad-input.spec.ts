/**
 * Bad and hostile input to key creation: each is refused with the message next to the field it
 * is about, nothing is created in the portal or in LiteLLM, and hostile strings stay inert text.
 * Every case starts from a form that would succeed, so a missing check would create a key.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./env";
import { signIn, litellmTokens } from "./support";

/** Token hashes LiteLLM holds for a team (pages of 100: LiteLLM refuses larger pages). */
/** What exists for acme, in LiteLLM and in the portal's own list. */
async function acmeKeys(page: Page, request: APIRequestContext) {
  const portal = await page.request.get("/api/tenants/acme/keys");
  expect(portal.status()).toBe(200);
  return { litellm: (await litellmTokens(request, "acme")).length, portal: ((await portal.json()) as { total: number }).total };
}

/** Fails the test if any page script opens alert/confirm/prompt (an injected script would). */
function forbidDialogs(page: Page): string[] {
  const fired: string[] = [];
  page.on("dialog", (dialog) => {
    fired.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return fired;
}

type FormInput = { alias?: string; model?: boolean; expires?: string; budget?: string; rpm?: string };
type UiCase = { name: string; input: FormInput; field: "alias" | "models" | "expiresInDays" | "maxBudget" | "rpmLimit"; message: RegExp };

const UI_CASES: UiCase[] = [
  { name: "an empty alias", input: { alias: "" }, field: "alias", message: /Required/ },
  { name: "a script tag as alias", input: { alias: "<script>alert(1)</script>" }, field: "alias", message: /Letters, digits/ },
  { name: "a path traversal as alias", input: { alias: "../../etc/passwd" }, field: "alias", message: /Letters, digits/ },
  { name: "YAML as alias", input: { alias: "a: b\n- c" }, field: "alias", message: /Letters, digits/ },
  { name: "a template as alias", input: { alias: "{{ .Values }}" }, field: "alias", message: /Letters, digits/ },
  { name: "no model", input: { model: false }, field: "models", message: /Pick at least one model/ },
  { name: "an expiry above the tenant's 90 days", input: { expires: "91" }, field: "expiresInDays", message: /At most 90 days/ },
  { name: "a negative budget", input: { budget: "-5" }, field: "maxBudget", message: /negative/ },
  { name: "a budget above what acme has left", input: { budget: "100000" }, field: "maxBudget", message: /what acme has left/ },
  { name: "requests per minute above the tenant cap", input: { rpm: "601" }, field: "rpmLimit", message: /At most 600/ },
];

for (const c of UI_CASES) {
  test(`the create dialog refuses ${c.name} next to the field and creates nothing`, async ({ page, request }) => {
    const dialogs = forbidDialogs(page);
    await signIn(page, "dev@acme.example", "/t/acme/keys");
    const before = await acmeKeys(page, request);

    await page.getByRole("button", { name: "Create key" }).click();
    const form = page.getByRole("dialog", { name: "Create an API key" });
    const { alias = `valid-${Date.now()}`, model = true, expires = "30", budget = "", rpm = "" } = c.input;
    await form.getByLabel("Alias").fill(alias);
    if (model) await form.getByRole("checkbox", { name: /^Qwen2\.5 0\.5B Instruct/ }).check();
    await form.getByLabel("Expires in (days)").fill(expires);
    await form.getByLabel("Personal budget (USD, optional)").fill(budget);
    await form.getByLabel("Requests / minute").fill(rpm);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/tenants/acme/keys") && r.request().method() === "POST");
    await form.getByRole("button", { name: "Create key" }).click();
    const res = await answer;
    expect(res.status()).toBe(422);
    expect(Object.keys((await res.json()).error.fields)).toEqual([c.field]);

    // The message sits in the field's own block and is what the control is described by.
    const error = form.locator(`#${c.field}-error`);
    await expect(error).toHaveAttribute("role", "alert");
    await expect(error).toHaveText(c.message);
    await expect(form.locator('[id$="-error"]')).toHaveCount(1);
    if (c.field === "models") {
      await expect(form.getByRole("group", { name: "Models" })).toHaveAttribute("aria-describedby", "models-error");
    } else {
      const control = form.locator(`#${c.field}`);
      await expect(control).toHaveAttribute("aria-invalid", "true");
      await expect(control).toHaveAttribute("aria-describedby", new RegExp(`\\b${c.field}-error\\b`));
      await expect(form.locator('[data-slot="field"]').filter({ has: page.locator(`#${c.field}`) }).locator(`#${c.field}-error`)).toBeVisible();
    }
    // The dialog stays open with what was typed (an <input> turns line breaks into spaces), and no secret was shown.
    const shown = await form.getByLabel("Alias").inputValue();
    expect(shown.replace(/\s/g, "")).toBe(alias.replace(/\s/g, ""));
    await expect(page.getByTestId("new-key-secret")).toHaveCount(0);

    expect(await acmeKeys(page, request)).toEqual(before);
    expect(await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.includes("alert(1)")))).toBe(false);
    expect(dialogs).toEqual([]);
  });
}

type ApiCase = { name: string; body: Record<string, unknown>; field: string };
const valid = () => ({ alias: `api-${Date.now()}`, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 30 });
const API_CASES: ApiCase[] = [
  { name: "a model acme is not allowed", body: { models: ["llama-3.1-70b-instruct"] }, field: "models" },
  { name: "an allowed and a forbidden model", body: { models: ["qwen2.5-0.5b-instruct", "llama-3.1-70b-instruct"] }, field: "models" },
  { name: "a model nobody serves", body: { models: ["gpt-4"] }, field: "models" },
  { name: "a duplicated model", body: { models: ["qwen2.5-0.5b-instruct", "qwen2.5-0.5b-instruct"] }, field: "models" },
  { name: "an alias with a newline", body: { alias: "a: b\n- c" }, field: "alias" },
  { name: "an alias with a script tag", body: { alias: "<script>alert(1)</script>" }, field: "alias" },
  { name: "an alias of 65 characters", body: { alias: "a".repeat(65) }, field: "alias" },
  { name: "zero days", body: { expiresInDays: 0 }, field: "expiresInDays" },
  { name: "fractional days", body: { expiresInDays: 1.5 }, field: "expiresInDays" },
  { name: "days as a string", body: { expiresInDays: "30" }, field: "expiresInDays" },
  { name: "a budget with fractions of a cent", body: { maxBudget: 0.001 }, field: "maxBudget" },
  { name: "tokens per minute above the cap", body: { tpmLimit: 200_001 }, field: "tpmLimit" },
  { name: "zero requests per minute", body: { rpmLimit: 0 }, field: "rpmLimit" },
];

test("the keys API refuses bad bodies with 422 and the offending field, creating nothing", async ({ page, request }) => {
  await signIn(page, "dev@acme.example", "/t/acme/keys");
  const before = await acmeKeys(page, request);
  for (const c of API_CASES) {
    const res = await page.request.post("/api/tenants/acme/keys", { data: { ...valid(), ...c.body } });
    expect(res.status(), c.name).toBe(422);
    const body = await res.json();
    expect(body.error.code, c.name).toBe("validation");
    expect(Object.keys(body.error.fields), c.name).toEqual([c.field]);
  }
  const notJson = await page.request.post("/api/tenants/acme/keys", { headers: { "content-type": "application/json" }, data: "{alias:" });
  expect(notJson.status()).toBe(422);
  expect(await acmeKeys(page, request)).toEqual(before);

  // The same valid() body is accepted, so every refusal above was about the one changed field.
  const ok = await page.request.post("/api/tenants/acme/keys", { data: valid() });
  expect(ok.status()).toBe(201);
  expect(await acmeKeys(page, request)).toEqual({ litellm: before.litellm + 1, portal: before.portal + 1 });
});
