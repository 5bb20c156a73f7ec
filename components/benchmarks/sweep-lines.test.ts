import { describe, expect, it } from "vitest";
import { emptyStep } from "@/lib/benchmarks/model";
import { goodputLines, latencyThroughputLines, percentileLines } from "./sweep-lines";

const step = (index: number, load: number, ttftP50: number | null, out: number | null) => ({
  ...emptyStep(index, "concurrency", load),
  ttft: { mean: null, p50: ttftP50, p90: null, p95: ttftP50 === null ? null : ttftP50 * 2, p99: null },
  outputThroughput: out,
  requestThroughput: out === null ? null : out / 100,
  goodput: null,
});

describe("sweep lines", () => {
  const steps = [step(0, 1, 27, 120), step(1, 32, 135, 3773), step(2, 64, null, null)];
  it("one line per percentile, x = load, missing figures stay null (the chart leaves a gap)", () => {
    const lines = percentileLines(steps, "ttft");
    expect(lines.map((l) => l.label)).toEqual(["TTFT p50", "TTFT p90", "TTFT p95", "TTFT p99"]);
    expect(lines[0]!.points).toEqual([{ x: 1, y: 27 }, { x: 32, y: 135 }, { x: 64, y: null }]);
    expect(lines[2]!.points[1]).toEqual({ x: 32, y: 270 });
  });
  it("the latency–throughput curve puts throughput on x", () => {
    expect(latencyThroughputLines(steps)[0]!.points).toEqual([{ x: 120, y: 27 }, { x: 3773, y: 135 }, { x: null, y: null }]);
  });
  it("goodput without an SLO is unknown, not zero", () => {
    expect(goodputLines(steps)[1]!.points.every((p) => p.y === null)).toBe(true);
  });
});
