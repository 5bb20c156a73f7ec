/**
 * OpenCost's `window` and duration grammar, in UTC (OpenCost's default UTC offset):
 * - `today`, `yesterday` (whole days); `week` (Sunday 00:00 → now); `lastweek` (the previous
 *   Sunday-to-Sunday week); `month` (the 1st 00:00 → now); `lastmonth` (the whole previous month);
 * - `<n>m|h|d` — the last n units *including the current one*, aligned to unit boundaries (so `7d`
 *   is today plus the six previous whole days, ending at tomorrow 00:00), `<n>w` — n weeks ending
 *   tomorrow 00:00;
 * - `<unix>,<unix>` (or `-`) second pairs; `<RFC3339>,<RFC3339>` pairs in `Z` form.
 * Anything else is OpenCost's "illegal window" (a 400 at the HTTP layer).
 */
export interface TimeWindow {
  start: number;
  end: number;
}

export class ParamError extends Error {}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const UNITS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY, w: WEEK };

const DURATION = /^(\d{1,6})(m|h|d|w)$/;
const UNIX_PAIR = /^(\d{1,12})[,-](\d{1,12})$/;
const RFC3339 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
const RFC_PAIR = new RegExp(`^(${RFC3339}),(${RFC3339})$`);

const startOfDay = (t: number) => Math.floor(t / DAY) * DAY;
const startOfMonth = (t: number, monthsBack = 0) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1);
};

function rfc3339(text: string): number {
  const t = Date.parse(text);
  // Date.parse rolls 2026-02-30 over into March; OpenCost (Go's time.Parse) refuses it.
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 19) !== text.slice(0, 19)) throw new ParamError(`illegal window: ${text}`);
  return t;
}

export function parseWindow(window: string, now: number): TimeWindow {
  const today = startOfDay(now);
  switch (window) {
    case "today":
      return { start: today, end: today + DAY };
    case "yesterday":
      return { start: today - DAY, end: today };
    case "week":
      return { start: today - new Date(today).getUTCDay() * DAY, end: now };
    case "lastweek": {
      const start = today - (new Date(today).getUTCDay() + 7) * DAY;
      return { start, end: start + WEEK };
    }
    case "month":
      return { start: startOfMonth(now), end: now };
    case "lastmonth":
      return { start: startOfMonth(now, 1), end: startOfMonth(now) };
  }
  const duration = DURATION.exec(window);
  if (duration) {
    const n = Number(duration[1]);
    const unit = UNITS[duration[2]!]!;
    if (unit === WEEK) return { start: startOfDay(now - n * WEEK) + DAY, end: today + DAY };
    const end = Math.floor(now / unit) * unit + unit;
    return { start: end - n * unit, end };
  }
  const unix = UNIX_PAIR.exec(window);
  if (unix) return checked({ start: Number(unix[1]) * 1000, end: Number(unix[2]) * 1000 }, window);
  const rfc = RFC_PAIR.exec(window);
  if (rfc) return checked({ start: rfc3339(rfc[1]!), end: rfc3339(rfc[2]!) }, window);
  throw new ParamError(`illegal window: ${window}`);
}

function checked(w: TimeWindow, text: string): TimeWindow {
  if (!(w.end > w.start)) throw new ParamError(`illegal window: ${text}: end must be after start`);
  return w;
}

/** A `step`: Go-style durations OpenCost accepts (`30m`, `2h`, `1d`, `1w`, `1h30m`). */
export function parseDuration(text: string): number {
  const parts = /^(?:(\d{1,6})w)?(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/.exec(text);
  if (!parts || text === "") throw new ParamError(`invalid duration: ${text}`);
  const [, w, d, h, m, s] = parts.map((p) => Number(p ?? 0));
  const total = (w ?? 0) * WEEK + (d ?? 0) * DAY + (h ?? 0) * HOUR + (m ?? 0) * MINUTE + (s ?? 0) * 1000;
  if (total <= 0) throw new ParamError(`invalid duration: ${text}`);
  return total;
}

/** Go's RFC3339 rendering in UTC, without fractional seconds (as in OpenCost's JSON). */
export const rfc3339String = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
