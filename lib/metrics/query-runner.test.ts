import { describe, expect, it } from "vitest";
import type { Annotated } from "@/lib/integrations/prometheus/client";
import type { QueryData } from "@/lib/integrations/prometheus/schemas";
import { createQueryRunner } from "./query-runner";

function counting(delayMs = 10) {
  let upstream = 0;
  let fail = false;
  const answer = async (): Promise<Annotated<QueryData>> => {
    upstream++;
    await new Promise((r) => setTimeout(r, delayMs));
    if (fail) throw new Error("down");
    return { data: { resultType: "matrix", result: [] }, warnings: [], infos: [] };
  };
  return { client: { query: answer, queryRange: answer }, upstream: () => upstream, setFail: (v: boolean) => (fail = v) };
}

describe("query runner", () => {
  it("identical concurrent queries share one upstream request", async () => {
    const fake = counting();
    const runner = createQueryRunner(fake.client);
    await Promise.all(Array.from({ length: 20 }, () => runner.queryRange("up", 0, 3600, 15)));
    expect(fake.upstream()).toBe(1);
    await Promise.all([runner.queryRange("up", 0, 3600, 30), runner.queryRange("down", 0, 3600, 15)]);
    expect(fake.upstream()).toBe(3);
  });

  it("reuses answers for min(step, 15 s), then asks again", async () => {
    let now = 0;
    const fake = counting(0);
    const runner = createQueryRunner(fake.client, { now: () => now });
    await runner.queryRange("up", 0, 3600, 5);
    now = 4_999;
    await runner.queryRange("up", 0, 3600, 5);
    expect(fake.upstream()).toBe(1);
    now = 5_001;
    await runner.queryRange("up", 0, 3600, 5);
    expect(fake.upstream()).toBe(2);
    await runner.queryRange("up", 0, 3600, 60);
    now += 14_999;
    await runner.queryRange("up", 0, 3600, 60);
    expect(fake.upstream()).toBe(3);
    now += 2;
    await runner.queryRange("up", 0, 3600, 60);
    expect(fake.upstream()).toBe(4);
  });

  it("does not cache failures", async () => {
    const fake = counting(0);
    const runner = createQueryRunner(fake.client);
    fake.setFail(true);
    await expect(runner.query("up", 1)).rejects.toThrow("down");
    fake.setFail(false);
    await runner.query("up", 1);
    expect(fake.upstream()).toBe(2);
  });

  it("one caller's abort does not fail the others", async () => {
    const fake = counting(20);
    const runner = createQueryRunner(fake.client);
    const controller = new AbortController();
    const first = runner.queryRange("up", 0, 60, 15, controller.signal);
    const second = runner.queryRange("up", 0, 60, 15);
    controller.abort(new Error("navigated away"));
    await expect(first).rejects.toThrow("navigated away");
    await expect(second).resolves.toBeDefined();
    expect(fake.upstream()).toBe(1);
  });

  it("limits upstream concurrency", async () => {
    let active = 0;
    let peak = 0;
    const slow = async (): Promise<Annotated<QueryData>> => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return { data: { resultType: "matrix", result: [] }, warnings: [], infos: [] };
    };
    const runner = createQueryRunner({ query: slow, queryRange: slow }, { maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => runner.queryRange(`q${i}`, 0, 60, 15)));
    expect(peak).toBe(3);
  });

  it("bounds the cache", async () => {
    const runner = createQueryRunner(counting(0).client, { maxEntries: 5 });
    for (let i = 0; i < 20; i++) await runner.query(`q${i}`, 1);
    expect(runner.size()).toBe(5);
  });
});
