import { describe, expect, it } from "vitest";
import type { Unit } from "@/lib/metrics/types";
import { compact, formatTick, formatTimeFull, formatTimeTick, formatValue } from "./format";

describe("formatValue", () => {
  const cases: Array<[number | null, Unit, string]> = [
    [null, "seconds", "—"],
    [Number.NaN, "percent", "—"],
    [Number.POSITIVE_INFINITY, "seconds", "∞"],
    [0.183, "seconds", "183 ms"],
    [0.0456, "seconds", "45.6 ms"],
    [0.0004, "seconds", "400 µs"],
    [0, "seconds", "0 ms"],
    [1.234, "seconds", "1.23 s"],
    [45, "seconds", "45 s"],
    [300, "seconds", "5 min"],
    [10800, "seconds", "3 h"],
    [87.456, "percent", "87.5%"],
    [100, "percent", "100%"],
    [0.9234, "ratio", "92.3%"],
    [0.12, "percent", "0.12%"],
    [0.18, "percent", "0.18%"],
    [0.0012, "ratio", "0.12%"],
    [1, "ratio", "100%"],
    [0, "ratio", "0%"],
    [1234.5, "tokens/s", "1.23k tok/s"],
    [12.345, "tokens/s", "12.3 tok/s"],
    [3.4, "req/s", "3.4 req/s"],
    [0.05, "req/s", "0.05 req/s"],
    [245.4, "watts", "245 W"],
    [2400, "watts", "2.4 kW"],
    [67.25, "celsius", "67.3 °C"],
    [512, "mebibytes", "512 MiB"],
    [81920, "mebibytes", "80 GiB"],
    [1536, "mebibytes", "1.5 GiB"],
    [2.5, "replicas", "2.5"],
    [3, "replicas", "3"],
    [2_500_000, "count", "2.5M"],
    [999, "count", "999"],
  ];
  it.each(cases)("%s %s → %s", (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it("axis ticks never break between number and unit", () => {
    expect(formatTick(240, "tokens/s")).toBe("240\u00a0tok/s");
    expect(formatTick(0.2, "seconds")).toBe("200\u00a0ms");
  });

  it("compact keeps the sign", () => {
    expect(compact(-1500)).toBe("-1.5k");
  });
});

describe("time formatting", () => {
  const T = 1_755_684_000; // 2025-08-20T10:00:00Z

  it("clock time for short windows, day and time for long ones", () => {
    expect(formatTimeTick(T, 3600, "UTC")).toBe("10:00");
    expect(formatTimeTick(T, 7 * 86400, "UTC")).toBe("20 Aug, 10:00");
  });

  it("full time for tooltips, in the given zone", () => {
    expect(formatTimeFull(T, "UTC")).toBe("2025-08-20 10:00:00");
    expect(formatTimeFull(T, "Europe/Berlin")).toBe("2025-08-20 12:00:00");
  });
});
