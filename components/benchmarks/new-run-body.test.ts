import { describe, expect, it } from "vitest";
import { newRunBody, type NewRunForm } from "./new-run-body";

const base: NewRunForm = { target: "acme/qwen-chat", endpoint: "gateway", directUrl: "", sweepKind: "concurrency", levels: "1, 2,4", stepKind: "duration", stepValue: "5",
  warmupS: "", promptTokens: "128", outputTokens: "64", ttftMs: "", itlMs: "", name: "", gpuType: "", gpuCount: "" };

describe("newRunBody", () => {
  it("shapes a concurrency sweep against a deployment through the gateway", () => {
    expect(newRunBody(base)).toEqual({
      target: { kind: "deployment", namespace: "acme", name: "qwen-chat" }, endpoint: "gateway",
      sweep: { kind: "concurrency", levels: [1, 2, 4] }, step: { durationS: 5 }, warmupS: 0,
      lengths: { kind: "fixed", promptTokens: 128, outputTokens: 64 },
    });
  });
  it("passes what it cannot read through as typed, for the server to refuse with a field error", () => {
    const body = newRunBody({ ...base, levels: "1,x", stepKind: "requests", stepValue: "abc", target: "no-slash" });
    expect((body.sweep as { levels: number[] }).levels[1]).toBeNaN();
    expect(body.step).toEqual({ requests: Number.NaN });
    expect(body.target).toEqual({ kind: "deployment", namespace: "no-slash", name: "" });
  });
  it("includes the SLO, a direct URL and the hardware only when given", () => {
    const body = newRunBody({ ...base, endpoint: "direct", directUrl: " http://x:8000 ", ttftMs: "200", gpuType: "L4", gpuCount: "1", sweepKind: "rate", levels: "0.5 1" });
    expect(body).toMatchObject({ endpoint: "direct", directUrl: "http://x:8000", slo: { ttftMs: 200 }, gpuType: "L4", gpuCount: 1, sweep: { kind: "rate", levels: [0.5, 1] } });
  });
});
