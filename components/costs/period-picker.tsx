import { Button } from "@/components/ui/button";
import type { Period } from "@/lib/costs/period";
import { periodQuery } from "@/lib/costs/export/query";

type Props = { period: Period; action: string; /** Other query parameters to keep (sort, filter). */ keep?: Record<string, string> };

/**
 * A plain GET form: the period lives in the URL, works without JavaScript and is shareable.
 * Custom dates are inclusive on both ends, as people read a range.
 */
export function PeriodPicker({ period, action, keep = {} }: Props) {
  const current = periodQuery(period);
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2 print:hidden" aria-label="Choose period">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="grid gap-1 text-sm">
        <label htmlFor="cost-period" className="text-muted-foreground">Period</label>
        <select id="cost-period" name="period" defaultValue={current.period} className="h-9 rounded-md border border-input bg-background px-2">
          <option value="this-month">This month</option>
          <option value="last-month">Last month</option>
          <option value="custom">Custom</option>
        </select>
      </div>
      <div className="grid gap-1 text-sm">
        <label htmlFor="cost-period-from" className="text-muted-foreground">From</label>
        <input id="cost-period-from" type="date" name="from" defaultValue={current.from} className="h-9 rounded-md border border-input bg-background px-2" />
      </div>
      <div className="grid gap-1 text-sm">
        <label htmlFor="cost-period-to" className="text-muted-foreground">To (inclusive)</label>
        <input id="cost-period-to" type="date" name="to" defaultValue={current.to} className="h-9 rounded-md border border-input bg-background px-2" />
      </div>
      <Button type="submit" variant="outline" size="sm">
        Show
      </Button>
    </form>
  );
}
