import { describe, expect, it } from "vitest";
import { fmtDollars, fmtMs, fmtPercent, fmtRate, loadLabel, sourceLabel } from "./format";

describe("benchmark formatting", () => {
  it("prints missing figures as a dash, never as zero", () => {
    for (const f of [fmtMs, (v: number | null) => fmtRate(v, "tok/s"), fmtPercent, fmtDollars]) {
      expect(f(null)).toBe("—");
      expect(f(Number.NaN)).toBe("—");
    }
    expect(fmtMs(0)).toBe("0.0 ms");
  });
  it("scales latencies and rates", () => {
    expect(fmtMs(27.04)).toBe("27.0 ms");
    expect(fmtMs(135.4)).toBe("135 ms");
    expect(fmtMs(12_345)).toBe("12.3 s");
    expect(fmtRate(3773.2, "tok/s")).toBe("3,773 tok/s");
    expect(fmtRate(1.234, "req/s")).toBe("1.23 req/s");
    expect(fmtPercent(0.011)).toBe("1.1%");
    expect(fmtPercent(0.0004)).toBe("0.04%");
  });
  it("keeps sub-cent precision for cost per million tokens", () => {
    expect(fmtDollars(5.89)).toBe("$0.0589");
    expect(fmtDollars(1234)).toBe("$12.34");
  });
  it("labels loads and sources; the reference run is marked as imported", () => {
    expect(loadLabel("concurrency", 32)).toBe("c=32");
    expect(loadLabel("rate", 2.5)).toBe("2.5 req/s");
    expect(loadLabel("rate", null)).toBe("∞ req/s");
    expect(sourceLabel("reference")).toBe("reference (imported)");
    expect(sourceLabel("import:guidellm")).toBe("imported · guidellm");
    expect(sourceLabel("portal")).toBe("portal");
  });
});
