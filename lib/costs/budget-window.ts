import { DAY_MS, startOfUtcDay } from "./period";

/**
 * LiteLLM's budget_duration strings ("30s", "30m", "24h", "30d", "1mo"): after each duration the
 * team's spend resets. "mo" is calendar months (LiteLLM adds months, not 30 days); a day-of-month
 * the next month lacks is clamped to its last day (Jan 31 + 1mo = Feb 28/29).
 */
export type BudgetDuration = { amount: number; unit: "s" | "m" | "h" | "d" | "mo" };

const DURATION = /^(\d{1,4})(mo|s|m|h|d)$/;

export function parseBudgetDuration(value: string): BudgetDuration {
  const match = DURATION.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new RangeError(`not a budget duration: ${value}`);
  return { amount: Number(match[1]), unit: match[2] as BudgetDuration["unit"] };
}

function addMonthsClamped(from: Date, months: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}

export function addDuration(from: Date, d: BudgetDuration, times = 1): Date {
  if (d.unit === "mo") return addMonthsClamped(from, d.amount * times);
  const ms = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS }[d.unit];
  return new Date(from.getTime() + ms * d.amount * times);
}

export type BudgetWindow = { start: Date; resetsAt: Date; resetsInDays: number };

/**
 * The budget window containing `now`, for windows anchored at `anchor` (the moment the team's
 * budget started: the tenant's first sync to LiteLLM, else its creation) and repeating every
 * duration. `resetsInDays` counts whole UTC days until the reset day (0 = resets today).
 */
export function budgetWindowAt(anchor: Date, duration: string, now: Date): BudgetWindow {
  const d = parseBudgetDuration(duration);
  if (now < anchor) {
    const resetsAt = addDuration(anchor, d);
    return { start: anchor, resetsAt, resetsInDays: daysUntil(now, resetsAt) };
  }
  // Months vary in length: step from the anchor (never from the previous step, which would drift
  // after a clamped February) until the next boundary passes `now`.
  let k = 0;
  if (d.unit !== "mo") {
    const span = addDuration(anchor, d).getTime() - anchor.getTime();
    k = Math.floor((now.getTime() - anchor.getTime()) / span);
  } else {
    k = Math.max(0, (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth() - 1);
    k = Math.floor(k / d.amount);
  }
  while (addDuration(anchor, d, k + 1) <= now) k++;
  const start = addDuration(anchor, d, k);
  const resetsAt = addDuration(anchor, d, k + 1);
  return { start, resetsAt, resetsInDays: daysUntil(now, resetsAt) };
}

function daysUntil(now: Date, at: Date): number {
  return Math.max(0, Math.round((startOfUtcDay(at).getTime() - startOfUtcDay(now).getTime()) / DAY_MS));
}
