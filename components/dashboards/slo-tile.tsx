import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { PanelResult } from "@/lib/metrics/types";
import { cn } from "@/lib/utils/cn";
import { formatValue } from "./format";
import { EMPTY_MESSAGE } from "./panel";
import { panelState, sloLevel, type SloLevel } from "./panel-state";

const LEVEL_CLASS: Record<SloLevel, string> = {
  good: "border-success/50 bg-success/5",
  warning: "border-warning/60 bg-warning/10",
  bad: "border-destructive/50 bg-destructive/5",
  unknown: "",
};
const LEVEL_TEXT: Record<SloLevel, string> = { good: "meets the objective", warning: "slightly below the objective", bad: "below the objective", unknown: "" };

type Props = { testId: string; title: string; threshold: string; objective: number; result: PanelResult | undefined };

/**
 * Share of requests (or token gaps) within the latency threshold, coloured against the
 * objective. The colour is never the only signal: the level is also written out.
 */
export function SloTile({ testId, title, threshold, objective, result }: Props) {
  const state = panelState({ kind: "stat" }, result);
  const value = result?.data?.stat ?? null;
  const level = state === "ok" ? sloLevel(value, objective) : "unknown";
  const headingId = `${testId}-heading`;
  return (
    <section aria-labelledby={headingId} aria-busy={state === "loading"} data-testid={testId} data-state={state} data-level={level}>
      <Card className={cn("h-full gap-2 py-4", LEVEL_CLASS[level])}>
        <CardHeader className="px-4">
          <CardTitle asHeading="h3" id={headingId} className="text-sm">
            {title}
          </CardTitle>
          <p className="text-xs text-muted-foreground">
            {threshold} · objective {formatValue(objective, "ratio")}
          </p>
        </CardHeader>
        <CardContent className="grid gap-1 px-4">
          {state === "loading" ? <Skeleton className="h-9 w-24" /> : null}
          {state === "error" ? <p className="text-sm text-destructive break-words">{result?.error?.message}</p> : null}
          {state === "empty" ? <p className="text-sm text-muted-foreground">{EMPTY_MESSAGE}</p> : null}
          {state === "ok" ? (
            <>
              <p className="text-3xl font-semibold tabular-nums">{formatValue(value, "ratio")}</p>
              <p className="text-xs text-muted-foreground">{LEVEL_TEXT[level]}</p>
            </>
          ) : null}
          {result?.data?.warnings.map((w) => (
            <p key={w} className="text-xs text-muted-foreground">
              ⚠ {w}
            </p>
          ))}
        </CardContent>
      </Card>
    </section>
  );
}
