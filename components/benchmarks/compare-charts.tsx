"use client";

import type { CompareSeries } from "@/lib/benchmarks/analysis";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { SweepChartLoader } from "./chart-loaders";

type Metric = keyof CompareSeries["points"][number];

const CHARTS: { title: string; y: Metric; x?: Metric; unit: string }[] = [
  { title: "TTFT p50", y: "ttftP50", unit: "ms" },
  { title: "TTFT p95", y: "ttftP95", unit: "ms" },
  { title: "TPOT p50", y: "tpotP50", unit: "ms" },
  { title: "E2E p95", y: "e2eP95", unit: "ms" },
  { title: "Output throughput", y: "outputThroughput", unit: "tok/s" },
  { title: "Latency–throughput (TTFT p50 vs output tok/s)", y: "ttftP50", x: "outputThroughput", unit: "ms" },
];

/** 2–4 runs overlaid, one line per run, x = load (or throughput for the latency–throughput curve). */
export function CompareCharts({ series }: { series: CompareSeries[] }) {
  const kinds = new Set(series.map((s) => s.loadKind));
  const xLabel = kinds.size === 1 && kinds.has("rate") ? "request rate (req/s)" : kinds.size === 1 ? "concurrency" : "load (mixed kinds)";
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="compare-charts">
      {CHARTS.map((c) => (
        <Card key={c.title}>
          <CardHeader><CardTitle className="text-sm">{c.title}</CardTitle></CardHeader>
          <CardContent>
            <SweepChartLoader
              xLabel={c.x ? "output tok/s" : xLabel}
              yLabel={c.unit}
              ariaLabel={`${c.title} of ${series.length} runs`}
              lines={series.map((s) => ({ key: s.runId, label: s.name, dashed: s.source === "reference", points: s.points.map((p) => ({ x: c.x ? p[c.x] : p.load, y: p[c.y] })) }))}
            />
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
