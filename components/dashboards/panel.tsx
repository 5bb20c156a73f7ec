"use client";

import dynamic from "next/dynamic";
import { useId } from "react";
import { Info } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import type { PanelDef, PanelResult } from "@/lib/metrics/types";
import { cn } from "@/lib/utils/cn";
import { formatValue } from "./format";
import { MarkerList } from "./marker-list";
import { panelState } from "./panel-state";
import { SeriesTable } from "./series-table";
import type { ChartMarker } from "./time-series-chart";

// recharts is loaded with the first chart, not with the page: it is a large library that only
// these dashboards use.
const TimeSeriesChart = dynamic(() => import("./time-series-chart"), { ssr: false, loading: () => <Skeleton className="h-[220px] w-full" /> });

export const EMPTY_MESSAGE = "No data in this range — is the deployment receiving traffic?";

type Props = {
  def: PanelDef;
  result: PanelResult | undefined;
  range: { start: number; end: number } | undefined;
  /** Vertical lines: autoscale events come with the panel's data; "went live" ones from the page. */
  extraMarkers?: ChartMarker[];
  /** A line under the title, e.g. why this is the scaling signal. */
  note?: React.ReactNode;
  className?: string;
  /** Show the table of values expanded (Explore, where the numbers are the point). */
  tableOpen?: boolean;
};

export function Panel({ def, result, range, extraMarkers = [], note, className, tableOpen = false }: Props) {
  const headingId = useId();
  const state = panelState(def, result);
  const data = result?.data;
  const markers: ChartMarker[] = [...(data?.markers ?? []).map((m) => ({ time: m.time, label: m.label, kind: m.kind })), ...extraMarkers];

  return (
    <section
      aria-labelledby={headingId}
      aria-busy={state === "loading"}
      data-testid={`panel-${def.id}`}
      data-state={state}
      className={className}
    >
      <Card className="h-full gap-3 py-4">
        <CardHeader className="px-4">
          <div className="flex items-start justify-between gap-2">
            <CardTitle asHeading="h3" id={headingId} className="text-sm">
              {def.title}
            </CardTitle>
            <Tooltip>
              <TooltipTrigger asChild>
                <button type="button" className="rounded-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring" aria-label={`About ${def.title}`}>
                  <Info className="size-4" aria-hidden />
                </button>
              </TooltipTrigger>
              <TooltipContent>{def.description}</TooltipContent>
            </Tooltip>
          </div>
          {note ? <p className="text-xs text-muted-foreground">{note}</p> : null}
        </CardHeader>
        <CardContent className="px-4">
          {state === "loading" ? <Skeleton className={def.kind === "stat" ? "h-12 w-32" : "h-[220px] w-full"} /> : null}
          {state === "error" ? (
            <Alert variant="destructive">
              <AlertDescription>
                {/* The metrics layer's message (it names Prometheus) as text: React escapes it, so a hostile label value cannot inject markup. */}
                <span className="break-words">{result?.error?.message}</span>
              </AlertDescription>
            </Alert>
          ) : null}
          {state === "empty" ? <p className="py-8 text-center text-sm text-muted-foreground">{EMPTY_MESSAGE}</p> : null}
          {state === "ok" && data && def.kind === "stat" ? (
            <p className={cn("text-3xl font-semibold tabular-nums")}>{formatValue(data.stat ?? null, data.unit)}</p>
          ) : null}
          {state === "ok" && data && def.kind === "timeseries" && range ? (
            <>
              <TimeSeriesChart
                series={data.series}
                unit={data.unit}
                secondaryUnit={def.secondaryUnit}
                range={range}
                markers={markers}
                ariaLabel={`${def.title}: line chart of ${data.series.length} series`}
              />
              <MarkerList markers={markers} />
              <SeriesTable title={def.title} series={data.series} unit={data.unit} secondaryUnit={def.secondaryUnit} open={tableOpen} />
            </>
          ) : null}
          {data?.warnings.length ? (
            <ul className="mt-2 text-xs text-muted-foreground">
              {data.warnings.map((w) => (
                <li key={w}>⚠ {w}</li>
              ))}
            </ul>
          ) : null}
        </CardContent>
      </Card>
    </section>
  );
}
