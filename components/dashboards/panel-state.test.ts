import { describe, expect, it } from "vitest";
import type { PanelData, Series } from "@/lib/metrics/types";
import { panelState, sloLevel, summarize } from "./panel-state";

const series = (points: Array<[number, number | null]>, key = "a"): Series => ({ key, label: key, labels: {}, points });
const data = (over: Partial<PanelData>): PanelData => ({ panelId: "p", unit: "seconds", step: 15, series: [], warnings: [], ...over });
const TS = { kind: "timeseries" } as const;
const STAT = { kind: "stat" } as const;

describe("panelState", () => {
  it("loading until there is a result", () => {
    expect(panelState(TS, undefined)).toBe("loading");
  });

  it("an error wins over any data", () => {
    expect(panelState(TS, { panelId: "p", data: data({ series: [series([[1, 2]])] }), error: { kind: "timeout", message: "slow" } })).toBe("error");
  });

  it("series of only gaps are empty, not ok", () => {
    expect(panelState(TS, { panelId: "p", data: data({ series: [series([[1, null], [2, null]])] }) })).toBe("empty");
    expect(panelState(TS, { panelId: "p", data: data({ series: [] }) })).toBe("empty");
    expect(panelState(TS, { panelId: "p", data: data({ series: [series([[1, Number.NaN]])] }) })).toBe("empty");
  });

  it("a zero is data", () => {
    expect(panelState(TS, { panelId: "p", data: data({ series: [series([[1, null], [2, 0]])] }) })).toBe("ok");
  });

  it("a stat is ok with a number, empty with null", () => {
    expect(panelState(STAT, { panelId: "p", data: data({ stat: 0.97 }) })).toBe("ok");
    expect(panelState(STAT, { panelId: "p", data: data({ stat: null }) })).toBe("empty");
  });
});

describe("summarize", () => {
  it("ignores gaps; last is the last real sample", () => {
    expect(summarize([series([[1, 2], [2, 6], [3, null]])])).toEqual([{ key: "a", label: "a", last: 6, min: 2, max: 6, mean: 4 }]);
  });

  it("all gaps → all null", () => {
    expect(summarize([series([[1, null]])])[0]).toMatchObject({ last: null, min: null, max: null, mean: null });
  });
});

describe("sloLevel", () => {
  it.each([
    [0.995, "good"],
    [0.99, "good"],
    [0.97, "warning"],
    [0.94, "warning"],
    [0.93, "bad"],
    [null, "unknown"],
    [Number.NaN, "unknown"],
  ] as const)("%s → %s", (value, expected) => {
    expect(sloLevel(value)).toBe(expected);
  });
});
