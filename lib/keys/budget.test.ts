import { describe, expect, it } from "vitest";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { budgetLeftCents, fetchTeamSpend, type SpendSnapshot } from "./budget";

const snapshot = (teamSpendCents: number, keys: Record<string, number> = {}): SpendSnapshot => ({
  teamSpendCents,
  keySpendCents: new Map(Object.entries(keys)),
});

describe("budgetLeftCents", () => {
  // Budget 100.00 $ throughout. Each expectation is worked out by hand in the comment.
  it.each([
    { name: "no keys, no spend", spend: snapshot(0), keys: [], expected: 10_000 },
    { name: "team spend only", spend: snapshot(1_234), keys: [], expected: 10_000 - 1_234 },
    {
      name: "keys without a budget reserve nothing",
      spend: snapshot(500, { h1: 500 }),
      keys: [{ tokenHash: "h1", maxBudgetCents: null }],
      expected: 9_500, // 10000 - 500
    },
    {
      name: "an unspent key reserves its whole budget",
      spend: snapshot(0),
      keys: [{ tokenHash: "h1", maxBudgetCents: 3_000 }],
      expected: 7_000, // 10000 - 0 - 3000
    },
    {
      name: "a partly spent key reserves only its remainder",
      spend: snapshot(1_000, { h1: 1_000 }),
      keys: [{ tokenHash: "h1", maxBudgetCents: 3_000 }],
      expected: 7_000, // 10000 - 1000 spent - 2000 remainder
    },
    {
      name: "an overspent key reserves nothing, never a negative amount",
      spend: snapshot(4_000, { h1: 4_000 }),
      keys: [{ tokenHash: "h1", maxBudgetCents: 3_000 }],
      expected: 6_000, // 10000 - 4000; the -1000 "remainder" must not give budget back
    },
    {
      name: "a key LiteLLM does not know counts as unspent",
      spend: snapshot(200, { other: 200 }),
      keys: [{ tokenHash: "unknown", maxBudgetCents: 1_500 }],
      expected: 8_300, // 10000 - 200 - 1500
    },
    {
      name: "a mix of all of the above",
      spend: snapshot(5_500, { a: 1_000, b: 4_000, c: 500 }),
      keys: [
        { tokenHash: "a", maxBudgetCents: 2_500 }, // reserves 1500
        { tokenHash: "b", maxBudgetCents: 1_000 }, // overspent: 0
        { tokenHash: "c", maxBudgetCents: null }, // none
        { tokenHash: "d", maxBudgetCents: 700 }, // unknown: 700
      ],
      expected: 2_300, // 10000 - 5500 - 1500 - 0 - 700
    },
    {
      name: "an overspent tenant has a negative amount left",
      spend: snapshot(12_000),
      keys: [],
      expected: -2_000,
    },
  ])("$name", ({ spend, keys, expected }) => {
    expect(budgetLeftCents(10_000, spend, keys)).toBe(expected);
  });
});

describe("fetchTeamSpend", () => {
  it("converts LiteLLM's float dollars to cents, per team and per key hash", async () => {
    const litellm = {
      teamInfo: async (teamId: string) => ({ team_id: teamId, team_info: { spend: 12.34 }, keys: [] }),
      listKeys: async () => [
        { token: "h1", spend: 0.1 + 0.2 },
        { token: "h2", spend: 0 },
      ],
    } as unknown as LiteLLMClient;
    const spend = await fetchTeamSpend(litellm, "team-a");
    expect(spend.teamSpendCents).toBe(1_234);
    expect([...spend.keySpendCents]).toEqual([
      ["h1", 30],
      ["h2", 0],
    ]);
  });
});
