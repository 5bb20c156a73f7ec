import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/http/errors";
import { createKeyInput } from "./schemas";

const valid = { alias: "ci-bot", models: ["llama-3.1-8b-instruct"], expiresInDays: 30 };

function errorsFor(input: Record<string, unknown>) {
  const result = createKeyInput.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
}

describe("createKeyInput: alias", () => {
  // The alias ends up in LiteLLM's key_alias, in YAML/GitOps exports, in HTML and in URLs.
  it.each([
    { name: "YAML mapping", alias: "a: b" },
    { name: "YAML list item", alias: "- x" },
    { name: "YAML anchor", alias: "&anchor" },
    { name: "template braces", alias: "{{x}}" },
    { name: "HTML", alias: "<script>alert(1)</script>" },
    { name: "quote", alias: `a"b` },
    { name: "path traversal", alias: "../etc" },
    { name: "slash", alias: "a/b" },
    { name: "backslash", alias: "a\\b" },
    { name: "newline inside", alias: "a\nb" },
    { name: "tab inside", alias: "a\tb" },
    { name: "NUL byte", alias: "a\u0000b" },
    { name: "Cyrillic lookalike", alias: "аdmin" },
    { name: "fullwidth letters", alias: "ａｄｍｉｎ" },
    { name: "zero-width space", alias: "ad\u200Bmin" },
    { name: "emoji", alias: "key🔑" },
    { name: "65 characters", alias: "a".repeat(65) },
    { name: "empty", alias: "" },
    { name: "only spaces", alias: "   " },
    { name: "leading dot", alias: ".hidden" },
    { name: "leading dash", alias: "-flag" },
    { name: "leading underscore", alias: "_x" },
    { name: "inner space", alias: "my key" },
    { name: "shell substitution", alias: "$(id)" },
    { name: "not a string", alias: 42 },
  ])("rejects $name", ({ alias }) => {
    const fields = errorsFor({ ...valid, alias });
    expect(Object.keys(fields)).toEqual(["alias"]);
    expect(fields.alias ?? []).not.toHaveLength(0);
  });

  it.each([
    { alias: "a", stored: "a" },
    { alias: "ci-bot", stored: "ci-bot" },
    { alias: "Team.Service_2", stored: "Team.Service_2" },
    { alias: "0day", stored: "0day" },
    { alias: "a".repeat(64), stored: "a".repeat(64) },
    { alias: "  padded  ", stored: "padded" },
    { alias: "trailing.", stored: "trailing." },
  ])("accepts $alias", ({ alias, stored }) => {
    const result = createKeyInput.safeParse({ ...valid, alias });
    expect(result.success).toBe(true);
    expect(result.data?.alias).toBe(stored);
  });
});

describe("createKeyInput: budget", () => {
  it.each([
    { name: "negative", maxBudget: -1 },
    { name: "zero", maxBudget: 0 },
    { name: "sub-cent", maxBudget: 0.001 },
    { name: "three decimals", maxBudget: 10.005 },
    { name: "NaN", maxBudget: Number.NaN },
    { name: "Infinity", maxBudget: Number.POSITIVE_INFINITY },
    { name: "above the cap", maxBudget: 10_000_000.01 },
    { name: "a string", maxBudget: "10" },
  ])("rejects $name", ({ maxBudget }) => {
    expect(Object.keys(errorsFor({ ...valid, maxBudget }))).toEqual(["maxBudget"]);
  });

  it.each([0.01, 0.1, 1, 12.34, 0.3 + 0.6, 10_000_000])("accepts %s", (maxBudget) => {
    expect(createKeyInput.parse({ ...valid, maxBudget }).maxBudget).toBe(maxBudget);
  });

  it("defaults budget and limits to null (no personal cap)", () => {
    expect(createKeyInput.parse(valid)).toMatchObject({ maxBudget: null, rpmLimit: null, tpmLimit: null });
  });
});

describe("createKeyInput: other fields", () => {
  it.each([
    { name: "no models", patch: { models: [] }, field: "models" },
    { name: "duplicate models", patch: { models: ["m", "n", "m"] }, field: "models" },
    { name: "empty model id", patch: { models: [""] }, field: "models.0" },
    { name: "51 models", patch: { models: Array.from({ length: 51 }, (_, i) => `m${i}`) }, field: "models" },
    { name: "zero days", patch: { expiresInDays: 0 }, field: "expiresInDays" },
    { name: "fractional days", patch: { expiresInDays: 1.5 }, field: "expiresInDays" },
    { name: "days as string", patch: { expiresInDays: "30" }, field: "expiresInDays" },
    { name: "missing days", patch: { expiresInDays: undefined }, field: "expiresInDays" },
    { name: "zero rpm", patch: { rpmLimit: 0 }, field: "rpmLimit" },
    { name: "fractional tpm", patch: { tpmLimit: 10.5 }, field: "tpmLimit" },
    { name: "negative tpm", patch: { tpmLimit: -1 }, field: "tpmLimit" },
  ])("rejects $name on $field", ({ patch, field }) => {
    expect(Object.keys(errorsFor({ ...valid, ...patch }))).toEqual([field]);
  });

  it("reports every bad field at once", () => {
    const fields = errorsFor({ alias: "../x", models: [], expiresInDays: 0, maxBudget: -1 });
    expect(Object.keys(fields).sort()).toEqual(["alias", "expiresInDays", "maxBudget", "models"]);
  });
});
