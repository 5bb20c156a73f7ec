import { describe, expect, it } from "vitest";
import { createKeyInput, type CreateKeyInput } from "./schemas";
import { checkAgainstTenant } from "./tenant-limits";

const tenant = {
  id: "team-a",
  allowedModels: ["llama-3.1-8b-instruct", "qwen2.5-0.5b-instruct"],
  maxKeyDays: 90,
  rpmLimit: 100,
  tpmLimit: 50_000,
};

// Inputs go through the real schema first, as in createKey, so the defaults are the real ones.
const input = (patch: Record<string, unknown> = {}): CreateKeyInput =>
  createKeyInput.parse({ alias: "ci", models: ["llama-3.1-8b-instruct"], expiresInDays: 30, ...patch });

const PLENTY = 1_000_000;

describe("checkAgainstTenant", () => {
  it("a request inside every limit has no field errors", () => {
    expect(checkAgainstTenant(input({ rpmLimit: 100, tpmLimit: 50_000, expiresInDays: 90, maxBudget: 5 }), tenant, PLENTY)).toEqual({});
  });

  it.each([
    { name: "expiry one day beyond policy", patch: { expiresInDays: 91 }, field: "expiresInDays", mentions: ["90"] },
    { name: "expiry far beyond policy", patch: { expiresInDays: 3650 }, field: "expiresInDays", mentions: ["90", "team-a"] },
    { name: "model not in tenant", patch: { models: ["llama-3.1-70b-instruct"] }, field: "models", mentions: ["llama-3.1-70b-instruct"] },
    {
      name: "one allowed and two foreign models",
      patch: { models: ["llama-3.1-8b-instruct", "gpt-4o", "claude"] },
      field: "models",
      mentions: ["gpt-4o", "claude"],
    },
    { name: "rpm above the tenant cap", patch: { rpmLimit: 101 }, field: "rpmLimit", mentions: ["100"] },
    { name: "tpm above the tenant cap", patch: { tpmLimit: 50_001 }, field: "tpmLimit", mentions: ["50000"] },
  ])("$name → field error on $field", ({ patch, field, mentions }) => {
    const fields = checkAgainstTenant(input(patch), tenant, PLENTY);
    expect(Object.keys(fields)).toEqual([field]);
    for (const text of mentions) expect((fields[field] ?? []).join(" ")).toContain(text);
  });

  it("does not name allowed models among the refused ones", () => {
    const fields = checkAgainstTenant(input({ models: ["llama-3.1-8b-instruct", "gpt-4o"] }), tenant, PLENTY);
    expect(fields.models?.join(" ")).toBeDefined();
    expect(fields.models?.join(" ")).not.toContain("llama-3.1-8b-instruct");
  });

  it("duplicate models never reach the tenant check", () => {
    const result = createKeyInput.safeParse({ alias: "ci", models: ["llama-3.1-8b-instruct", "llama-3.1-8b-instruct"], expiresInDays: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["models"]);
  });

  it("a tenant without rpm/tpm caps accepts any positive limit", () => {
    const uncapped = { ...tenant, rpmLimit: null, tpmLimit: null };
    expect(checkAgainstTenant(input({ rpmLimit: 10_000_000, tpmLimit: 10_000_000 }), uncapped, PLENTY)).toEqual({});
  });

  it("reports every problem at once", () => {
    const fields = checkAgainstTenant(
      input({ models: ["nope"], expiresInDays: 365, rpmLimit: 1000, tpmLimit: 1_000_000, maxBudget: 20 }),
      tenant,
      1000,
    );
    expect(Object.keys(fields).sort()).toEqual(["expiresInDays", "maxBudget", "models", "rpmLimit", "tpmLimit"]);
  });
});

describe("checkAgainstTenant: budget left", () => {
  it.each([
    { name: "exactly what is left", maxBudget: 25, leftCents: 2500, ok: true },
    { name: "one cent under what is left", maxBudget: 24.99, leftCents: 2500, ok: true },
    { name: "one cent over what is left", maxBudget: 25.01, leftCents: 2500, ok: false },
    { name: "cents that float badly, exactly left", maxBudget: 0.29, leftCents: 29, ok: true },
    { name: "cents that float badly, one over", maxBudget: 0.3, leftCents: 29, ok: false },
    { name: "nothing left", maxBudget: 0.01, leftCents: 0, ok: false },
    { name: "overspent tenant", maxBudget: 0.01, leftCents: -500, ok: false },
    { name: "no personal budget asks for nothing", maxBudget: null, leftCents: -500, ok: true },
  ])("$name", ({ maxBudget, leftCents, ok }) => {
    const fields = checkAgainstTenant(input({ maxBudget }), tenant, leftCents);
    expect(Object.keys(fields)).toEqual(ok ? [] : ["maxBudget"]);
  });

  it.each([
    { leftCents: 2500, shown: "$25.00" },
    { leftCents: 7, shown: "$0.07" },
    { leftCents: -500, shown: "$0.00" },
  ])("tells how much is left: $shown", ({ leftCents, shown }) => {
    const fields = checkAgainstTenant(input({ maxBudget: 100 }), tenant, leftCents);
    expect((fields.maxBudget ?? []).join(" ")).toContain(shown);
  });
});
