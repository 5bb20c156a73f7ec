"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColor } from "@/components/dashboards/palette";

/**
 * A figure against load (concurrency or rate), or latency against throughput: one line per
 * series, points where a step was measured. Imported only through `next/dynamic`
 * (sweep-chart-loader), so recharts stays in the benchmark pages' own chunk.
 */
export type SweepLine = { key: string; label: string; points: { x: number | null; y: number | null }[]; dashed?: boolean };

type Props = { lines: SweepLine[]; xLabel: string; yLabel: string; ariaLabel: string; height?: number; xLog?: boolean };

export default function SweepChart({ lines, xLabel, yLabel, ariaLabel, height = 240, xLog = false }: Props) {
  const usable = lines.map((l) => ({ ...l, points: l.points.filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null && (!xLog || p.x > 0)) }));
  // Loads are few and chosen (1, 2, 4, 8…): tick exactly at them rather than at 0.8, 1.6, 2.4.
  const xs = [...new Set(usable.flatMap((l) => l.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ticks = xs.length > 0 && xs.length <= 12 && xs.every(Number.isInteger) ? xs : undefined;
  return (
    <div role="img" aria-label={ariaLabel} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="x" type="number" scale={xLog ? "log" : "auto"} domain={["auto", "auto"]} allowDuplicatedCategory={false} ticks={ticks}
            label={{ value: xLabel, position: "insideBottom", offset: -8, fontSize: 11, fill: "var(--muted-foreground)" }}
            tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} stroke="var(--border)" />
          <YAxis tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} stroke="var(--border)" width={64}
            label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 11, fill: "var(--muted-foreground)" }} />
          <Tooltip isAnimationActive={false} contentStyle={{ background: "var(--popover)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 }} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          {usable.map((l, i) => (
            <Line key={l.key} data={l.points} dataKey="y" name={l.label} stroke={seriesColor(i)} strokeDasharray={l.dashed ? "5 3" : undefined} dot isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
