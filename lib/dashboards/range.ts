/**
 * The time range and refresh of a dashboard as they live in the URL, so that a link shows what
 * its sender saw. Plain functions without zod: the client bundles this file; the API parses the
 * same parameters strictly in `query.ts`.
 *
 * URL shape: `range=1h` (relative to "now" at each fetch, so auto-refresh slides the window) or
 * `from=…&to=…` (ISO 8601 or unix seconds; a fixed window), plus `refresh=30s`.
 */

export const RANGE_PRESETS = {
  "15m": 15 * 60,
  "1h": 60 * 60,
  "6h": 6 * 60 * 60,
  "24h": 24 * 60 * 60,
  "7d": 7 * 24 * 60 * 60,
  "30d": 30 * 24 * 60 * 60,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_PRESET_IDS = Object.keys(RANGE_PRESETS) as RangePreset[];
export const DEFAULT_PRESET: RangePreset = "1h";

/** Custom windows are capped too: Prometheus' retention and the point budget make more useless. */
export const MAX_RANGE_SECONDS = 90 * 24 * 60 * 60;
/** Shortest custom window: below a minute a range query has one or two points. */
export const MIN_RANGE_SECONDS = 60;

export const REFRESH_INTERVALS = { off: 0, "10s": 10_000, "30s": 30_000, "1m": 60_000 } as const;
export type RefreshInterval = keyof typeof REFRESH_INTERVALS;
export const REFRESH_IDS = Object.keys(REFRESH_INTERVALS) as RefreshInterval[];

export type RangeSelection = { kind: "preset"; preset: RangePreset } | { kind: "custom"; from: number; to: number };
export type ResolvedRange = { start: number; end: number };

const isPreset = (value: string | null): value is RangePreset => value !== null && Object.hasOwn(RANGE_PRESETS, value);

/** Unix seconds from "1755684000" or an ISO 8601 date-time; null for anything else. */
export function parseInstant(value: string | null | undefined): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,11}(\.\d+)?$/.test(trimmed)) return Math.floor(Number(trimmed));
  // Date.parse accepts many loose shapes; demand the ISO date at least, so "1" or "May" do not pass.
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** ISO 8601 in UTC to the second: what custom ranges write into the URL. */
export function formatInstant(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Whether a custom window is one the API will accept. */
export function customRangeProblem(from: number, to: number, nowSeconds: number): string | null {
  if (to <= from) return "The end must be after the start";
  if (to - from < MIN_RANGE_SECONDS) return "At least one minute";
  if (to - from > MAX_RANGE_SECONDS) return "At most 90 days";
  if (to > nowSeconds + 300) return "The end is in the future";
  return null;
}

/**
 * Lenient reading for the page: a hand-edited or stale URL falls back to the default rather
 * than breaking the page (the API still refuses what it cannot serve).
 */
export function readRangeSelection(params: URLSearchParams): RangeSelection {
  const from = parseInstant(params.get("from"));
  const to = parseInstant(params.get("to"));
  const range = params.get("range");
  if ((range === null || range === "custom") && from !== null && to !== null && to > from) return { kind: "custom", from, to };
  return { kind: "preset", preset: isPreset(range) ? range : DEFAULT_PRESET };
}

export function readRefresh(params: URLSearchParams): RefreshInterval {
  const value = params.get("refresh");
  return value !== null && Object.hasOwn(REFRESH_INTERVALS, value) ? (value as RefreshInterval) : "off";
}

/** A copy of `params` with the selection written in (and the other form removed). */
export function writeRangeSelection(params: URLSearchParams, selection: RangeSelection): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("range");
  next.delete("from");
  next.delete("to");
  if (selection.kind === "preset") next.set("range", selection.preset);
  else {
    next.set("from", formatInstant(selection.from));
    next.set("to", formatInstant(selection.to));
  }
  return next;
}

export function writeRefresh(params: URLSearchParams, refresh: RefreshInterval): URLSearchParams {
  const next = new URLSearchParams(params);
  if (refresh === "off") next.delete("refresh");
  else next.set("refresh", refresh);
  return next;
}

/** The concrete window: presets end now, custom windows are what they say. */
export function resolveRange(selection: RangeSelection, nowSeconds: number): ResolvedRange {
  if (selection.kind === "custom") return { start: selection.from, end: selection.to };
  const end = Math.floor(nowSeconds);
  return { start: end - RANGE_PRESETS[selection.preset], end };
}

/** The range parameters to forward to the API: the same ones the page's URL carries. */
export function rangeQuery(selection: RangeSelection): Record<string, string> {
  return selection.kind === "preset"
    ? { range: selection.preset }
    : { from: formatInstant(selection.from), to: formatInstant(selection.to) };
}
