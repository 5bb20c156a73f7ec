import { describe, expect, it } from "vitest";
import { lttb, type Point } from "./lttb";

const series = (n: number, f: (i: number) => number | null): Point[] => Array.from({ length: n }, (_, i) => [i * 15, f(i)]);

describe("lttb", () => {
  it("returns short series unchanged", () => {
    const points = series(10, (i) => i);
    expect(lttb(points, 100)).toEqual(points);
  });

  it.each([[10_000, 1000], [5000, 800], [1001, 1000], [300, 3]])("%i points to at most %i, first and last kept", (n, threshold) => {
    const points = series(n, (i) => Math.sin(i / 50) * 100);
    const out = lttb(points, threshold);
    expect(out.length).toBeLessThanOrEqual(threshold);
    expect(out.length).toBeGreaterThan(threshold * 0.9);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0]);
  });

  it("keeps a one-sample spike and a one-sample dip", () => {
    const points = series(10_000, (i) => (i === 4321 ? 1000 : i === 7777 ? -500 : 1));
    const out = lttb(points, 200);
    expect(out).toContainEqual([4321 * 15, 1000]);
    expect(out).toContainEqual([7777 * 15, -500]);
  });

  it("keeps gaps as single nulls and never bridges them", () => {
    const points = series(5000, (i) => (i >= 1000 && i < 2000 ? null : i % 7));
    const out = lttb(points, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    const nulls = out.filter((p) => p[1] === null);
    expect(nulls).toEqual([[1000 * 15, null]]);
    const before = out.filter((p) => p[1] !== null && p[0] < 1000 * 15);
    const after = out.filter((p) => p[1] !== null && p[0] >= 2000 * 15);
    expect(before.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    expect(after[0]).toEqual([2000 * 15, 2000 % 7]);
  });

  it("stays within the threshold for series more gap than data", () => {
    const points = series(3000, (i) => (i % 3 === 0 ? null : i));
    const out = lttb(points, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    expect(out.some((p) => p[1] === null)).toBe(true);
  });
});
