"use client";

import type { StepResult } from "@/lib/benchmarks/model";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { SweepChartLoader } from "./chart-loaders";
import { goodputLines, latencyThroughputLines, percentileLines, throughputLines } from "./sweep-lines";

/** The run page's charts against load: latency percentiles, throughput, goodput, latency–throughput. */
export function RunCharts({ steps }: { steps: StepResult[] }) {
  const kind = steps[0]?.loadKind === "rate" ? "request rate (req/s)" : "concurrency";
  const charts = [
    { title: "TTFT percentiles", lines: percentileLines(steps, "ttft"), x: kind, y: "ms" },
    { title: "ITL percentiles", lines: percentileLines(steps, "itl"), x: kind, y: "ms" },
    { title: "E2E latency percentiles", lines: percentileLines(steps, "e2e"), x: kind, y: "ms" },
    { title: "Output throughput", lines: throughputLines(steps), x: kind, y: "tok/s" },
    { title: "Requests and goodput", lines: goodputLines(steps), x: kind, y: "req/s" },
    { title: "Latency–throughput curve", lines: latencyThroughputLines(steps), x: "output tok/s", y: "TTFT ms" },
  ];
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {charts.map((c) => (
        <Card key={c.title}>
          <CardHeader><CardTitle className="text-sm">{c.title}</CardTitle></CardHeader>
          <CardContent><SweepChartLoader lines={c.lines} xLabel={c.x} yLabel={c.y} ariaLabel={`${c.title} against ${c.x}`} /></CardContent>
        </Card>
      ))}
    </div>
  );
}
