import { describe, expect, it } from "vitest";
import { windowParam } from "./client";
import { dollarsToMicros, microsToCents } from "./money";

describe("OpenCost money conversion", () => {
  it.each([
    [0.425469, 425_469],
    [19.2, 19_200_000],
    [0.1 + 0.2, 300_000], // float noise below a micro-dollar disappears
    [1e-7, 0],
    [-0.0000005, -1], // half away from zero
    [0.0000005, 1],
    [-0, 0],
  ])("%d dollars → %i micro-dollars", (dollars, micros) => {
    expect(Object.is(dollarsToMicros(dollars), micros)).toBe(true);
  });

  it("refuses non-finite amounts", () => {
    expect(() => dollarsToMicros(Number.NaN)).toThrow(RangeError);
    expect(() => dollarsToMicros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it.each([
    [4_999, 0],
    [5_000, 1],
    [15_000, 2],
    [-5_000, -1],
    [-4_999, 0],
    [19_490_000, 1949],
  ])("%i micro-dollars → %i cents", (micros, cents) => {
    expect(Object.is(microsToCents(micros), cents)).toBe(true);
  });

  it("rounds a sum once: three thirds of a cent make one cent, not zero", () => {
    const third = 3_333; // 0.3333 cents each
    expect(microsToCents(third) * 3).toBe(0);
    expect(microsToCents(third * 3)).toBe(1);
    expect(() => microsToCents(0.5)).toThrow(RangeError);
  });
});

describe("windowParam", () => {
  it("renders RFC 3339 pairs in whole seconds and passes OpenCost words through", () => {
    expect(windowParam({ start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-02-01T00:00:00Z") })).toBe("2026-01-01T00:00:00Z,2026-02-01T00:00:00Z");
    expect(windowParam("lastmonth")).toBe("lastmonth");
    expect(() => windowParam({ start: new Date("2026-01-01T00:00:00.5Z"), end: new Date("2026-02-01T00:00:00Z") })).toThrow("whole seconds");
    expect(() => windowParam({ start: new Date("nope"), end: new Date("2026-02-01T00:00:00Z") })).toThrow(RangeError);
  });
});
