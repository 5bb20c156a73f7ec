import { beforeEach, describe, expect, it } from "vitest";
import { parseModelKey } from "./infra-source";
import { cachedLiveToday, clearLiveTodayCache, type LiveToday } from "./live-today";

const live = (day: string): LiveToday => ({ day, asOf: `${day}T00:00:00.000Z`, infra: { status: "unavailable", reason: "x" }, spend: { status: "ok", data: new Map() } });

describe("cachedLiveToday", () => {
  beforeEach(() => clearLiveTodayCache());

  it("shares one fetch between concurrent views, refetches after the TTL and on a new UTC day", async () => {
    let loads = 0;
    const load = async (now: Date) => (loads++, live(now.toISOString().slice(0, 10)));
    const t0 = new Date("2026-02-10T12:00:00Z");
    await Promise.all([cachedLiveToday("k", load, { now: t0 }), cachedLiveToday("k", load, { now: t0 })]);
    expect(loads).toBe(1);
    await cachedLiveToday("k", load, { now: new Date(t0.getTime() + 59_000) });
    expect(loads).toBe(1);
    await cachedLiveToday("k", load, { now: new Date(t0.getTime() + 61_000) });
    expect(loads).toBe(2);
    const midnight = await cachedLiveToday("k", load, { now: new Date("2026-02-11T00:00:01Z"), ttlMs: 3_600_000 });
    expect([loads, midnight.day]).toEqual([3, "2026-02-11"]);
  });

  it("does not keep a failed fetch", async () => {
    let loads = 0;
    const now = new Date("2026-02-10T12:00:00Z");
    await expect(cachedLiveToday("f", async () => (loads++, Promise.reject(new Error("down"))), { now })).rejects.toThrow("down");
    await cachedLiveToday("f", async () => (loads++, live("2026-02-10")), { now });
    expect(loads).toBe(2);
  });
});

describe("parseModelKey (OpenCost aggregate=namespace,label:portal_inference_platform_io_model)", () => {
  it.each([
    ["acme/portal_inference_platform_io_model=qwen2.5-7b-instruct", { namespace: "acme", model: "qwen2.5-7b-instruct" }],
    ["acme/__unallocated__", null],
    ["__idle__", null],
    ["acme/app=qwen", null],
    ["acme/portal_inference_platform_io_model=", null],
    ["__unallocated__/portal_inference_platform_io_model=x", null],
  ])("%s", (key, expected) => expect(parseModelKey(key)).toEqual(expected));
});
