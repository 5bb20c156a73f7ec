import { Badge } from "@/components/ui/badge";
import type { TenantCostPage } from "@/lib/costs/tenant-cost-page";
import { percentOf } from "@/lib/costs/money";
import { money, percent } from "./format";

const THRESHOLDS = [80, 90, 100] as const;

/**
 * Cumulative token spend against the budget, day by day, with the days a threshold was crossed
 * (as recorded by the budget alerts) and when LiteLLM resets the budget.
 */
export function BudgetTimeline({ budget, currency }: { budget: TenantCostPage["budget"]; currency: string }) {
  const crossingsByDay = new Map<string, number[]>();
  for (const c of budget.crossings) {
    const day = c.crossedAt.slice(0, 10);
    crossingsByDay.set(day, [...(crossingsByDay.get(day) ?? []), c.thresholdPct]);
  }
  return (
    <div className="grid gap-3">
      <p className="text-sm" data-testid="budget-reset">
        Budget {money(budget.budgetCents, currency)} per {budget.duration}; this window started {budget.windowStart.slice(0, 10)} and resets in{" "}
        <strong>{budget.resetsInDays} day{budget.resetsInDays === 1 ? "" : "s"}</strong> ({budget.resetsAt.slice(0, 10)}).
      </p>
      <div className="flex flex-wrap gap-2" aria-label="Threshold crossings">
        {THRESHOLDS.map((t) => {
          const hit = budget.crossings.find((c) => c.thresholdPct === t);
          return (
            <Badge key={t} variant={hit ? (t >= 100 ? "destructive" : "warning") : "outline"}>
              {t}%: {hit ? `crossed ${hit.crossedAt.slice(0, 10)}` : "not crossed"}
            </Badge>
          );
        })}
      </div>
      {budget.timeline.length ? (
        <ol className="grid gap-1 text-sm">
          {budget.timeline.map((p) => {
            const pct = percentOf(p.cumulativeTokenSpendCents, budget.budgetCents);
            const width = Math.min(100, Math.max(0, pct ?? 0));
            return (
              <li key={p.day} className="grid grid-cols-[6rem_1fr_10rem] items-center gap-2">
                <span className="tabular-nums text-muted-foreground">{p.day}</span>
                <span className="h-2 rounded bg-muted" aria-hidden>
                  <span className={`block h-2 rounded ${width >= 100 ? "bg-destructive" : width >= 80 ? "bg-warning" : "bg-primary"}`} style={{ width: `${width}%` }} />
                </span>
                <span className="tabular-nums">
                  {money(p.cumulativeTokenSpendCents, currency)} · {percent(pct)}
                  {crossingsByDay.get(p.day)?.map((t) => (
                    <Badge key={t} variant="warning" className="ml-1">
                      {t}%
                    </Badge>
                  ))}
                </span>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="text-sm text-muted-foreground">No token spend recorded in this period.</p>
      )}
    </div>
  );
}
