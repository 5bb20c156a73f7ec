import { describe, expect, it } from "vitest";
import { MAX_POINTS_PER_SERIES, alignRange, promDuration, rateWindowFor, stepFor } from "./step";

const MIN = 60;
const RANGES = [15 * MIN, 3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400];
const WIDTHS = [1, 50, 320, 800, 1920, 3840, 100_000, Number.NaN, -5];

describe("stepFor", () => {
  it.each(RANGES.flatMap((range) => WIDTHS.map((width) => [range, width] as const)))("range %is × %dpx stays within Prometheus's limits", (range, width) => {
    const step = stepFor(range, width);
    expect(step).toBeGreaterThanOrEqual(15);
    const aligned = alignRange({ start: 1_700_000_007, end: 1_700_000_007 + range }, step);
    expect((aligned.end - aligned.start) / step + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    if (Number.isFinite(width) && width >= 50 && width <= 4000) expect(step).toBeGreaterThanOrEqual(range / width);
  });

  it("snaps to nice steps", () => {
    expect(stepFor(15 * MIN, 800)).toBe(15);
    expect(stepFor(3600, 800)).toBe(15);
    expect(stepFor(6 * 3600, 800)).toBe(30);
    expect(stepFor(86_400, 800)).toBe(120);
    expect(stepFor(7 * 86_400, 800)).toBe(900);
    expect(stepFor(30 * 86_400, 800)).toBe(3600);
    expect(stepFor(30 * 86_400, 4000)).toBe(900);
  });

  it("never goes below the scrape interval", () => {
    expect(stepFor(600, 4000, { scrapeIntervalSec: 30 })).toBe(30);
    expect(stepFor(60, 800, { scrapeIntervalSec: 1 })).toBe(1);
  });

  it("falls back to whole days beyond the list", () => {
    expect(stepFor(10 * 365 * 86_400, 800) % 86_400).toBe(0);
  });
});

describe("alignRange", () => {
  it("snaps start and end down to the step so viewers a few seconds apart share a key", () => {
    const a = alignRange({ start: 1000, end: 4600 }, 60);
    const b = alignRange({ start: 1010, end: 4610 }, 60);
    expect(a).toEqual({ start: 960, end: 4560 });
    expect(b).toEqual(a);
  });
});

describe("rate windows and durations", () => {
  it("keeps the window at ≥ 4 scrape intervals and ≥ the step", () => {
    expect(rateWindowFor(15)).toBe(60);
    expect(rateWindowFor(300)).toBe(300);
    expect(rateWindowFor(1, { scrapeIntervalSec: 1 })).toBe(4);
  });
  it.each([[60, "1m"], [90, "90s"], [3600, "1h"], [7200, "2h"], [0, "1s"]])("%is is %s", (s, d) => {
    expect(promDuration(s)).toBe(d);
  });
});
