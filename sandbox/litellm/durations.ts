import { badRequest } from "./errors";

/**
 * LiteLLM duration strings: "30s", "30m", "30h", "30d", "2w", "1mo". Months are
 * calendar months (LiteLLM resets monthly budgets on the same day next month).
 */
const DURATION = /^(\d+)(s|m|h|d|w|mo)$/;

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function isValidDuration(value: string): boolean {
  return DURATION.test(value);
}

export function addDuration(from: Date, duration: string): Date {
  const match = DURATION.exec(duration);
  if (!match) throw badRequest(`Invalid duration: ${duration}. Use e.g. "30s", "30m", "30h", "30d", "2w", "1mo".`);
  const amount = Number(match[1]);
  const unit = match[2]!;
  if (unit === "mo") {
    const next = new Date(from);
    next.setUTCMonth(next.getUTCMonth() + amount);
    return next;
  }
  return new Date(from.getTime() + amount * SECONDS[unit]! * 1000);
}
