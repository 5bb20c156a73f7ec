import { describe, expect, it } from "vitest";
import {
  customRangeProblem,
  formatInstant,
  parseInstant,
  rangeQuery,
  readRangeSelection,
  readRefresh,
  resolveRange,
  writeRangeSelection,
  writeRefresh,
  type RangeSelection,
} from "./range";

const NOW = 1_755_684_000; // 2025-08-20T10:00:00Z

describe("parseInstant", () => {
  it.each([
    ["1755684000", 1755684000],
    ["1755684000.9", 1755684000],
    ["2025-08-20T10:00:00Z", 1755684000],
    ["2025-08-20T12:00:00+02:00", 1755684000],
    ["2025-08-20T10:00:00.500Z", 1755684000],
  ])("%s → %d", (input, expected) => {
    expect(parseInstant(input)).toBe(expected);
  });

  it.each(["", "now", "May 5", "1e9", "-5", "2025-13-40T99:00:00Z", "2025-08-20T10:00:00Z; DROP", "12345678901234"])("refuses %j", (input) => {
    expect(parseInstant(input)).toBeNull();
  });
});

describe("range selection in the URL", () => {
  const cases: RangeSelection[] = [
    { kind: "preset", preset: "15m" },
    { kind: "preset", preset: "30d" },
    { kind: "custom", from: NOW - 7200, to: NOW - 3600 },
  ];

  it.each(cases)("round-trips %j", (selection) => {
    const written = writeRangeSelection(new URLSearchParams("deployment=chat&refresh=30s"), selection);
    expect(readRangeSelection(new URLSearchParams(written.toString()))).toEqual(selection);
    // Other parameters of the page survive.
    expect(written.get("deployment")).toBe("chat");
    expect(written.get("refresh")).toBe("30s");
  });

  it("a preset replaces a custom window and the other way round", () => {
    const custom = writeRangeSelection(new URLSearchParams("range=6h"), { kind: "custom", from: NOW - 60, to: NOW });
    expect(custom.has("range")).toBe(false);
    expect(custom.get("from")).toBe(formatInstant(NOW - 60));
    const preset = writeRangeSelection(custom, { kind: "preset", preset: "24h" });
    expect([...preset.keys()].sort()).toEqual(["range"]);
  });

  it.each(["range=2y", "range=__proto__", "range=constructor", "from=2025-08-20T10:00:00Z", "from=x&to=y", "from=200&to=100", ""])(
    "falls back to the default for %j",
    (query) => {
      expect(readRangeSelection(new URLSearchParams(query))).toEqual({ kind: "preset", preset: "1h" });
    },
  );

  it("refresh round-trips and ignores unknown values", () => {
    expect(readRefresh(writeRefresh(new URLSearchParams(), "10s"))).toBe("10s");
    expect(writeRefresh(new URLSearchParams("refresh=1m"), "off").has("refresh")).toBe(false);
    expect(readRefresh(new URLSearchParams("refresh=1ms"))).toBe("off");
    expect(readRefresh(new URLSearchParams("refresh=toString"))).toBe("off");
  });
});

describe("resolveRange", () => {
  it("presets end now", () => {
    expect(resolveRange({ kind: "preset", preset: "1h" }, NOW + 0.7)).toEqual({ start: NOW - 3600, end: NOW });
    expect(resolveRange({ kind: "preset", preset: "7d" }, NOW)).toEqual({ start: NOW - 7 * 86400, end: NOW });
  });

  it("custom windows are what they say", () => {
    expect(resolveRange({ kind: "custom", from: 10, to: 20 }, NOW)).toEqual({ start: 10, end: 20 });
  });

  it("rangeQuery forwards the same form the URL has", () => {
    expect(rangeQuery({ kind: "preset", preset: "6h" })).toEqual({ range: "6h" });
    expect(rangeQuery({ kind: "custom", from: NOW - 60, to: NOW })).toEqual({ from: "2025-08-20T09:59:00Z", to: "2025-08-20T10:00:00Z" });
  });
});

describe("customRangeProblem", () => {
  it.each([
    [NOW - 3600, NOW, null],
    [NOW, NOW - 1, "The end must be after the start"],
    [NOW - 30, NOW, "At least one minute"],
    [NOW - 91 * 86400, NOW, "At most 90 days"],
    [NOW - 3600, NOW + 3600, "The end is in the future"],
  ])("%d..%d → %s", (from, to, expected) => {
    expect(customRangeProblem(from, to, NOW)).toBe(expected);
  });
});
