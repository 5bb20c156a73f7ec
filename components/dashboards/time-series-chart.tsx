"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Series, Unit } from "@/lib/metrics/types";
import { formatTick, formatTimeFull, formatTimeTick, formatValue } from "./format";
import { seriesColor } from "./palette";

/**
 * The one chart of the dashboards (recharts). Imported only through `next/dynamic` by the
 * panel, so recharts is a separate chunk loaded by dashboard pages alone.
 */

export type ChartMarker = { time: number; label: string; kind: "autoscale" | "live"; href?: string };

type Props = {
  series: Series[];
  unit: Unit;
  secondaryUnit?: Unit;
  range: { start: number; end: number };
  markers?: ChartMarker[];
  ariaLabel: string;
  height?: number;
};

type Row = { t: number } & Record<string, number | null>;

/** One row per timestamp, one column per series (`s0`, `s1`, …): the shape recharts draws. */
export function toRows(series: Series[]): Row[] {
  const rows = new Map<number, Row>();
  series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = rows.get(t) ?? ({ t } as Row);
      row[`s${i}`] = v;
      rows.set(t, row);
    }
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

const MARKER_COLOR = { autoscale: "oklch(0.62 0.17 300)", live: "oklch(0.6 0.15 150)" } as const;

function MarkerLabel({ marker, viewBox }: { marker: ChartMarker; viewBox?: { x?: number; y?: number } }) {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) + 2;
  const glyph = (
    <g>
      <title>{`${formatTimeFull(marker.time)} · ${marker.label}`}</title>
      <circle cx={x} cy={y + 4} r={5} fill={MARKER_COLOR[marker.kind]} />
    </g>
  );
  // An SVG link: the request opens from the chart itself; the list under the chart has the same links.
  return marker.href ? (
    <a href={marker.href} aria-label={marker.label}>
      {glyph}
    </a>
  ) : (
    glyph
  );
}

export default function TimeSeriesChart({ series, unit, secondaryUnit, range, markers = [], ariaLabel, height = 220 }: Props) {
  const rows = toRows(series);
  const span = range.end - range.start;
  const hasRight = Boolean(secondaryUnit) && series.some((s) => s.axis === "right");
  const unitOf = (s: Series | undefined) => (s?.axis === "right" && secondaryUnit ? secondaryUnit : unit);

  return (
    <div role="img" aria-label={ariaLabel} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 12, right: hasRight ? 4 : 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[range.start, range.end]}
            tickFormatter={(t: number) => formatTimeTick(t, span)}
            tick={{ fontSize: 11, fill: "var(--muted-foreground)" }}
            stroke="var(--border)"
            minTickGap={40}
          />
          <YAxis
            yAxisId="left"
            tickFormatter={(v: number) => formatTick(v, unit)}
            tick={{ fontSize: 11, fill: "var(--muted-foreground)" }}
            stroke="var(--border)"
            width={72}
          />
          {hasRight && secondaryUnit ? (
            <YAxis
              yAxisId="right"
              orientation="right"
              tickFormatter={(v: number) => formatTick(v, secondaryUnit)}
              tick={{ fontSize: 11, fill: "var(--muted-foreground)" }}
              stroke="var(--border)"
              width={64}
            />
          ) : null}
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => (typeof t === "number" ? formatTimeFull(t) : String(t))}
            formatter={(value, _name, item) => {
              const index = Number(String(item.dataKey ?? "s0").slice(1));
              const s = series[index];
              return [formatValue(typeof value === "number" ? value : null, unitOf(s)), s?.label ?? ""];
            }}
            contentStyle={{ background: "var(--popover)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 }}
            labelStyle={{ color: "var(--muted-foreground)" }}
          />
          {series.map((s, i) => (
            <Line
              key={s.key}
              yAxisId={hasRight && s.axis === "right" ? "right" : "left"}
              dataKey={`s${i}`}
              name={s.label}
              stroke={seriesColor(i)}
              strokeDasharray={s.axis === "right" ? "5 3" : undefined}
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
              // A null is a missing sample, not a zero: leave a gap rather than draw a dip.
              connectNulls={false}
            />
          ))}
          {markers.map((m) => (
            <ReferenceLine
              key={`${m.kind}-${m.time}-${m.label}`}
              yAxisId="left"
              x={m.time}
              stroke={MARKER_COLOR[m.kind]}
              strokeDasharray={m.kind === "autoscale" ? "2 2" : undefined}
              ifOverflow="hidden"
              label={(props: { viewBox?: { x?: number; y?: number } }) => <MarkerLabel marker={m} viewBox={props.viewBox} />}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <Legend series={series} secondaryUnit={hasRight ? secondaryUnit : undefined} />
    </div>
  );
}

// Past this many entries a legend stops helping; the table lists every series.
const LEGEND_MAX = 12;

function Legend({ series, secondaryUnit }: { series: Series[]; secondaryUnit?: Unit }) {
  const shown = series.slice(0, LEGEND_MAX);
  return (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted-foreground" aria-hidden>
      {shown.map((s, i) => (
        <li key={s.key} className="flex max-w-full items-center gap-1">
          <span
            className="inline-block h-0.5 w-3 shrink-0"
            style={{ background: s.axis === "right" ? "transparent" : seriesColor(i), borderTop: s.axis === "right" ? `2px dashed ${seriesColor(i)}` : undefined }}
          />
          <span className="truncate" title={s.label}>
            {s.label}
            {secondaryUnit ? (s.axis === "right" ? " (right axis)" : " (left axis)") : ""}
          </span>
        </li>
      ))}
      {series.length > LEGEND_MAX ? <li>+{series.length - LEGEND_MAX} more (see the table)</li> : null}
    </ul>
  );
}
