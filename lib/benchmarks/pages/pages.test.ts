import { describe, expect, it } from "vitest";
import { emptyStep, type StepResult } from "../model";
import { limitsFor, PLATFORM_ADMIN_LIMITS, TENANT_ADMIN_LIMITS } from "./limits";
import { compareIdsSchema, parseRunListQuery } from "./list-query";
import { publicConfig } from "./public-run";
import { costView, runSlo } from "./run-detail";
import { runWindow } from "./signals";
import { limitProblems, startRunInputSchema } from "./start-run-input";

const input = (over: Record<string, unknown> = {}) =>
  startRunInputSchema.parse({ target: { kind: "deployment", namespace: "acme", name: "qwen-chat" }, sweep: { kind: "concurrency", levels: [1, 2, 4] }, step: { durationS: 5 }, ...over });

const step = (load: number, ttftP95: number, tpotP95: number, out: number, extra: Partial<StepResult> = {}): StepResult => ({
  ...emptyStep(0, "concurrency", load), errorRate: 0, outputThroughput: out,
  ttft: { mean: null, p50: null, p90: null, p95: ttftP95, p99: null }, tpot: { mean: null, p50: null, p90: null, p95: tpotP95, p99: null }, ...extra,
});

describe("limits per role", () => {
  it("platform admins get the wider bounds, everyone else the tenant admin's", () => {
    expect(limitsFor({ platformRoles: new Set(["platform-admin"]) })).toBe(PLATFORM_ADMIN_LIMITS);
    expect(limitsFor({ platformRoles: new Set(["finance"]) })).toBe(TENANT_ADMIN_LIMITS);
    expect(limitsFor({ platformRoles: new Set() })).toMatchObject({ maxConcurrency: 32, maxDurationMs: 300_000 });
  });
  it("names each level over the bound and the planned duration, per field", () => {
    expect(limitProblems(input(), TENANT_ADMIN_LIMITS)).toEqual({});
    expect(Object.keys(limitProblems(input({ sweep: { kind: "concurrency", levels: [33, 1, 256] } }), TENANT_ADMIN_LIMITS))).toEqual(["sweep.levels.0", "sweep.levels.2"]);
    // 5 steps × (50 + 10) s = 300 s: exactly the bound passes; one more second does not.
    expect(limitProblems(input({ sweep: { kind: "concurrency", levels: [1, 2, 4, 8, 16] }, step: { durationS: 50 }, warmupS: 10 }), TENANT_ADMIN_LIMITS)).toEqual({});
    expect(Object.keys(limitProblems(input({ sweep: { kind: "concurrency", levels: [1, 2, 4, 8, 16] }, step: { durationS: 51 }, warmupS: 10 }), TENANT_ADMIN_LIMITS))).toEqual(["step.durationS"]);
    expect(Object.keys(limitProblems(input({ step: { requests: 2001 } }), TENANT_ADMIN_LIMITS))).toEqual(["step.requests"]);
    expect(limitProblems(input({ step: { requests: 2001 } }), PLATFORM_ADMIN_LIMITS)).toEqual({});
  });
  it("refuses hostile shapes at the schema: unknown keys, fractional concurrency, non-DNS names, non-http URLs", () => {
    expect(startRunInputSchema.safeParse({ ...input(), extra: 1 }).success).toBe(false);
    expect(startRunInputSchema.safeParse({ ...input(), sweep: { kind: "concurrency", levels: [1.5] } }).success).toBe(false);
    expect(startRunInputSchema.safeParse({ ...input(), target: { kind: "deployment", namespace: "../etc", name: "x" } }).success).toBe(false);
    expect(startRunInputSchema.safeParse({ ...input(), target: { kind: "url", baseUrl: "file:///etc/passwd", model: "m" } }).success).toBe(false);
    expect(startRunInputSchema.safeParse({ ...input(), sweep: { kind: "concurrency", levels: Array(17).fill(1) } }).success).toBe(false);
  });
});

describe("what leaves the API", () => {
  it("keeps the workload and drops the endpoint URL and limits", () => {
    const shown = publicConfig({ runner: { baseUrl: "http://litellm.internal:4000", model: "m", sweep: { kind: "rate", levels: [1] } }, limits: { maxDurationMs: 1 } });
    expect(shown).toEqual({ model: "m", sweep: { kind: "rate", levels: [1] } });
    expect(publicConfig({ baseUrl: "http://x", published: true })).toEqual({ published: true });
    expect(publicConfig(null)).toEqual({});
  });
});

describe("list and compare queries", () => {
  it("parses filters and refuses unknown enums", () => {
    expect(parseRunListQuery(new URLSearchParams("source=reference&model=&limit=5&junk=1"))).toEqual({ source: "reference", limit: 5 });
    expect(() => parseRunListQuery(new URLSearchParams("status=done"))).toThrow();
    expect(() => parseRunListQuery(new URLSearchParams("tenantId=A'; drop"))).toThrow();
  });
  it("compares 2–4 distinct uuids", () => {
    const a = "00000000-0000-4000-8000-00000000b001";
    const b = "00000000-0000-4000-8000-00000000b002";
    expect(compareIdsSchema.parse(`${a}, ${b},${a}`)).toEqual([a, b]);
    expect(compareIdsSchema.safeParse(`${a},${a}`).success).toBe(false);
    expect(compareIdsSchema.safeParse([a, b, a.replace("1", "3"), a.replace("1", "4"), a.replace("1", "5")].join(",")).success).toBe(false);
    expect(compareIdsSchema.safeParse(`${a},not-a-uuid`).success).toBe(false);
  });
});

describe("run window for the server signals", () => {
  it("spans the steps' server-side windows with 30 s either side", () => {
    const steps = [{ windowStartMs: 1_000_000, windowEndMs: 1_005_000 }, { windowStartMs: 1_005_000, windowEndMs: 1_010_500 }];
    expect(runWindow({ steps, startedAt: null, finishedAt: null })).toEqual({ start: 970, end: 1041 });
  });
  it("falls back to started/finished, to now while running, and to null before it starts", () => {
    expect(runWindow({ steps: [], startedAt: new Date(100_000), finishedAt: null }, 160_000)).toEqual({ start: 70, end: 190 });
    expect(runWindow({ steps: [], startedAt: null, finishedAt: null })).toBeNull();
  });
  it("never asks Prometheus for more than two hours", () => {
    const w = runWindow({ steps: [], startedAt: new Date(0), finishedAt: new Date(10 * 3600_000) })!;
    expect(w.end - w.start).toBe(7200);
  });
});

describe("cost per million output tokens at SLO", () => {
  const steps = [step(1, 30, 10, 100), step(8, 80, 20, 700), step(32, 900, 60, 3773)];
  it("uses the catalog's GPU price × count and the highest load meeting the SLO", () => {
    const view = costView({ steps, gpuType: "L4", gpuCount: 2 }, { ttftMs: 500, itlMs: 50 });
    // 2 × 80 ¢/h ÷ (700 tok/s × 3600 s/h) × 1e6 = 63.49… ¢ per million tokens.
    expect(view).toMatchObject({ load: 8, outputTokensPerS: 700, gpuHourlyCents: 160, gpuType: "L4", gpuCount: 2 });
    expect((view as { centsPerMillion: number }).centsPerMillion).toBeCloseTo((160 / (700 * 3600)) * 1e6, 6);
  });
  it("gives a reason instead of a guess when the hardware is unknown or no step meets the SLO", () => {
    expect(costView({ steps, gpuType: null, gpuCount: null }, {})).toEqual({ reason: expect.stringMatching(/unknown/) });
    expect(costView({ steps, gpuType: "B200", gpuCount: 1 }, {})).toEqual({ reason: expect.stringMatching(/unknown/) });
    expect(costView({ steps, gpuType: "L4", gpuCount: 1 }, { ttftMs: 10 })).toEqual({ reason: "No step met the SLO." });
  });
  it("takes the run's SLO, else the dashboards' defaults", () => {
    expect(runSlo({ runner: { slo: { ttftMs: 200 } } })).toEqual({ slo: { ttftMs: 200 }, fromRun: true });
    expect(runSlo({ runner: {} })).toEqual({ slo: { ttftMs: 500, itlMs: 50 }, fromRun: false });
    expect(runSlo({ slo: { ttftMs: -1 } }).fromRun).toBe(false);
  });
});
