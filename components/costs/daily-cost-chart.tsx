"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColor } from "@/components/dashboards/palette";
import type { DailyRow } from "@/lib/costs/tenant-cost-page";
import { formatCents } from "@/lib/money/cents";

/** The stacked categories, bottom to top: infrastructure first, then what LiteLLM charged. */
export const CATEGORIES = [
  { key: "gpuCents", label: "GPU" },
  { key: "cpuCents", label: "CPU" },
  { key: "ramCents", label: "Memory" },
  { key: "pvCents", label: "Storage" },
  { key: "idleShareCents", label: "Idle share" },
  { key: "tokenSpendCents", label: "Token spend" },
] as const;

type Props = { daily: DailyRow[]; currency: string; height?: number };

/**
 * Daily stacked cost by category (recharts). Loaded through `next/dynamic` by
 * `DailyCostChartLoader`, so recharts is fetched only by the pages that draw it.
 */
export default function DailyCostChart({ daily, currency, height = 260 }: Props) {
  return (
    <div role="img" aria-label="Daily cost by category" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={daily} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} />
          <YAxis tickFormatter={(c: number) => formatCents(c, currency).replace(/\.00$/, "")} fontSize={11} width={72} />
          <Tooltip formatter={(value) => formatCents(Number(value), currency)} />
          <Legend />
          {CATEGORIES.map((c, i) => (
            <Bar key={c.key} dataKey={c.key} name={c.label} stackId="cost" fill={seriesColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
