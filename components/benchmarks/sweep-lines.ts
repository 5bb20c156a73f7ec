import type { StepResult } from "@/lib/benchmarks/model";
import type { SweepLine } from "./sweep-chart";

type Dist = "ttft" | "itl" | "tpot" | "e2e";

/** p50/p90/p95/p99 of one latency against load: the "percentiles vs concurrency" chart. */
export function percentileLines(steps: readonly StepResult[], dist: Dist): SweepLine[] {
  return (["p50", "p90", "p95", "p99"] as const).map((p) => ({ key: `${dist}-${p}`, label: `${dist.toUpperCase()} ${p}`, points: steps.map((s) => ({ x: s.load, y: s[dist][p] })) }));
}

/** The latency–throughput curve: each step is a point (output tok/s, p50/p95 TTFT). */
export function latencyThroughputLines(steps: readonly StepResult[]): SweepLine[] {
  return [
    { key: "ttft-p50", label: "TTFT p50 (ms)", points: steps.map((s) => ({ x: s.outputThroughput, y: s.ttft.p50 })) },
    { key: "ttft-p95", label: "TTFT p95 (ms)", points: steps.map((s) => ({ x: s.outputThroughput, y: s.ttft.p95 })), dashed: true },
  ];
}

export function throughputLines(steps: readonly StepResult[]): SweepLine[] {
  return [{ key: "out", label: "output tok/s", points: steps.map((s) => ({ x: s.load, y: s.outputThroughput })) }];
}

export function goodputLines(steps: readonly StepResult[]): SweepLine[] {
  return [
    { key: "req", label: "requests/s", points: steps.map((s) => ({ x: s.load, y: s.requestThroughput })) },
    { key: "good", label: "goodput (req/s at SLO)", points: steps.map((s) => ({ x: s.load, y: s.goodput })), dashed: true },
  ];
}
