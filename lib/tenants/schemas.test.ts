import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/http/errors";
import { createTenantInput, dns1123Label } from "./schemas";

const valid = {
  slug: "team-a",
  displayName: "Team A",
  memberGroups: ["team-a-devs"],
  adminGroups: ["team-a-admins"],
  allowedModels: ["llama-3.1-8b-instruct"],
  monthlyBudget: 100,
};

function errorsFor(patch: Record<string, unknown>) {
  const result = createTenantInput.safeParse({ ...valid, ...patch });
  return result.success ? {} : fieldErrors(result.error);
}

describe("dns1123Label (tenant slug)", () => {
  it.each([
    { name: "uppercase", slug: "Team-a" },
    { name: "leading dash", slug: "-team" },
    { name: "trailing dash", slug: "team-" },
    { name: "64 characters", slug: "a".repeat(64) },
    { name: "double dot", slug: "a..b" },
    { name: "single dot", slug: "a.b" },
    { name: "underscore", slug: "team_a" },
    { name: "space", slug: "team a" },
    { name: "unicode letter", slug: "tëam" },
    { name: "Cyrillic lookalike", slug: "tеam" },
    { name: "path traversal", slug: "../x" },
    { name: "slash", slug: "a/b" },
    { name: "trailing newline", slug: "team\n" },
    { name: "empty", slug: "" },
    { name: "just a dash", slug: "-" },
  ])("rejects $name", ({ slug }) => {
    expect(dns1123Label.safeParse(slug).success).toBe(false);
    expect(Object.keys(errorsFor({ slug }))).toEqual(["slug"]);
  });

  it.each(["a", "0", "team-a", "a-b-c", "a--b", "9lives", "a".repeat(63)])("accepts %s", (slug) => {
    expect(dns1123Label.parse(slug)).toBe(slug);
  });
});

describe("createTenantInput: groups", () => {
  it.each([
    { name: "newline", group: "admins\nplatform-admins" },
    { name: "carriage return", group: "admins\r" + "x" },
    { name: "tab", group: "a\tb" },
    { name: "NUL", group: "a\u0000b" },
    { name: "escape sequence", group: "\u001b[31mred" },
    { name: "DEL", group: "a\u007fb" },
    { name: "comma (would split a CSV mapping)", group: "a,b" },
    { name: "quote", group: 'a"b' },
    { name: "angle brackets", group: "<admins>" },
    { name: "empty", group: "" },
    { name: "only spaces", group: "   " },
    { name: "129 characters", group: "g".repeat(129) },
  ])("rejects a group with $name", ({ group }) => {
    expect(Object.keys(errorsFor({ adminGroups: [group] }))).toEqual(["adminGroups.0"]);
    expect(Object.keys(errorsFor({ memberGroups: ["ok", group] }))).toEqual(["memberGroups.1"]);
  });

  it.each(["team-a-admins", "org:team", "user@example.com", "/org/sub group", "Team_1.ops", "g".repeat(128)])(
    "accepts the group %s",
    (group) => {
      expect(createTenantInput.parse({ ...valid, adminGroups: [group] }).adminGroups).toEqual([group]);
    },
  );

  it("trims group names", () => {
    expect(createTenantInput.parse({ ...valid, adminGroups: ["  admins  "] }).adminGroups).toEqual(["admins"]);
  });

  it.each([
    { name: "no admin group", patch: { adminGroups: [] }, field: "adminGroups" },
    { name: "duplicate admin groups", patch: { adminGroups: ["a", "a"] }, field: "adminGroups" },
    { name: "duplicate member groups", patch: { memberGroups: ["a", "a"] }, field: "memberGroups" },
    { name: "21 member groups", patch: { memberGroups: Array.from({ length: 21 }, (_, i) => `g${i}`) }, field: "memberGroups" },
  ])("rejects $name", ({ patch, field }) => {
    expect(Object.keys(errorsFor(patch))).toEqual([field]);
  });

  it("allows a tenant without member groups", () => {
    expect(createTenantInput.parse({ ...valid, memberGroups: [] }).memberGroups).toEqual([]);
  });
});

describe("createTenantInput: models, budget and defaults", () => {
  it.each([
    { name: "model not in the catalog", models: ["gpt-4o"], field: "allowedModels.0" },
    { name: "catalog id in the wrong case", models: ["Llama-3.1-8b-instruct"], field: "allowedModels.0" },
    { name: "served name instead of id", models: ["meta-llama/Llama-3.1-8B-Instruct"], field: "allowedModels.0" },
    { name: "one good, one unknown", models: ["llama-3.1-8b-instruct", "nope"], field: "allowedModels.1" },
    { name: "no models", models: [], field: "allowedModels" },
    { name: "duplicates", models: ["llama-3.1-8b-instruct", "llama-3.1-8b-instruct"], field: "allowedModels" },
  ])("rejects $name", ({ models, field }) => {
    expect(Object.keys(errorsFor({ allowedModels: models }))).toEqual([field]);
  });

  it.each([
    { name: "negative budget", patch: { monthlyBudget: -1 }, field: "monthlyBudget" },
    { name: "sub-cent budget", patch: { monthlyBudget: 0.001 }, field: "monthlyBudget" },
    { name: "unknown budget duration", patch: { budgetDuration: "1y" }, field: "budgetDuration" },
    { name: "zero rpm", patch: { rpmLimit: 0 }, field: "rpmLimit" },
    { name: "key lifetime over a year", patch: { maxKeyDays: 366 }, field: "maxKeyDays" },
    { name: "key lifetime of 0 days", patch: { maxKeyDays: 0 }, field: "maxKeyDays" },
    { name: "cost center with a slash", patch: { costCenter: "a/b" }, field: "costCenter" },
    { name: "empty display name", patch: { displayName: "  " }, field: "displayName" },
  ])("rejects $name", ({ patch, field }) => {
    expect(Object.keys(errorsFor(patch))).toEqual([field]);
  });

  it("fills the defaults", () => {
    expect(createTenantInput.parse(valid)).toEqual({
      ...valid,
      budgetDuration: "1mo",
      rpmLimit: null,
      tpmLimit: null,
      maxKeyDays: 90,
      costCenter: null,
    });
  });

  it("accepts a zero budget (a tenant can be created before it is funded)", () => {
    expect(createTenantInput.parse({ ...valid, monthlyBudget: 0 }).monthlyBudget).toBe(0);
  });
});
