import { describe, expect, it } from "vitest";
import { addDuration } from "./durations";
import { RateLimiter } from "./rate-limiter";
import { newTeamRow } from "./rows";
import { LiteLLMStore } from "./store";

describe("budget periods", () => {
  it("adds calendar months and fixed units", () => {
    const start = new Date("2026-01-31T10:00:00Z");
    expect(addDuration(start, "30s").toISOString()).toBe("2026-01-31T10:00:30.000Z");
    expect(addDuration(start, "2h").toISOString()).toBe("2026-01-31T12:00:00.000Z");
    expect(addDuration(start, "1w").toISOString()).toBe("2026-02-07T10:00:00.000Z");
    expect(addDuration(new Date("2026-03-15T00:00:00Z"), "1mo").toISOString()).toBe("2026-04-15T00:00:00.000Z");
    expect(() => addDuration(start, "10y")).toThrow(/Invalid duration/);
  });

  it("zeroes team spend once budget_reset_at has passed, and only then", () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const store = new LiteLLMStore(undefined, () => now);
    store.insertTeam(newTeamRow({ team_id: "t", budget_duration: "1d", max_budget: 1 }, now));
    store.getTeam("t")!.spend = 0.5;

    now = new Date("2026-01-01T23:59:59Z");
    expect(store.getTeam("t")!.spend).toBe(0.5);
    now = new Date("2026-01-02T00:00:01Z");
    const team = store.getTeam("t")!;
    expect(team.spend).toBe(0);
    expect(team.budget_reset_at).toBe("2026-01-03T00:00:01.000000+00:00");
  });
});

describe("rate limiter", () => {
  it("counts requests per minute per scope and frees the window after 60s", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const scope = [{ kind: "api_key" as const, id: "k", limits: { rpm: 2, tpm: null } }];
    limiter.admit(scope);
    limiter.admit(scope);
    expect(() => limiter.admit(scope)).toThrow(/Limit type: requests/);
    limiter.admit([{ kind: "api_key", id: "other", limits: { rpm: 2, tpm: null } }]);
    now = 60_001;
    expect(() => limiter.admit(scope)).not.toThrow();
  });

  it("limits tokens per minute from recorded usage", () => {
    const limiter = new RateLimiter(() => 0);
    const scope = [{ kind: "team" as const, id: "t", limits: { rpm: null, tpm: 100 } }];
    limiter.admit(scope);
    limiter.addTokens(scope, 100);
    expect(() => limiter.admit(scope)).toThrow(/Limit type: tokens/);
  });
});
