/**
 * Step derivation for range queries. A step finer than a pixel draws nothing more and costs
 * Prometheus samples; a step finer than the scrape interval invents points between samples;
 * Prometheus refuses more than 11,000 points per series. Snapping to a short list of "nice"
 * steps and aligning start/end to the step makes two viewers of "the last hour" send the same
 * query, so the cache and the single flight can serve them together.
 */

/** Prometheus's hard limit (`exceeded maximum resolution of 11,000 points per timeseries`). */
export const MAX_POINTS_PER_SERIES = 11_000;

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const DAY = 86_400;

export interface StepOptions {
  /** Seconds between scrapes: no step below it (default 15). */
  scrapeIntervalSec?: number;
}

/** Pixels are client input: clamp them so a hostile width cannot ask for a million points. */
export function clampWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx)) return 600;
  return Math.min(4000, Math.max(50, Math.round(widthPx)));
}

/** Seconds per point for a range of `rangeSec` drawn `widthPx` wide. */
export function stepFor(rangeSec: number, widthPx: number, options: StepOptions = {}): number {
  const scrape = options.scrapeIntervalSec ?? 15;
  const range = Math.max(1, rangeSec);
  // +2: aligning start down and end up may add a point at each end.
  const floor = Math.max(range / clampWidth(widthPx), scrape, range / (MAX_POINTS_PER_SERIES - 2));
  const nice = NICE_STEPS.find((step) => step >= floor);
  return nice ?? Math.ceil(floor / DAY) * DAY;
}

/** Start and end snapped to multiples of the step (start down, end down: no future points). */
export function alignRange(range: { start: number; end: number }, step: number): { start: number; end: number } {
  const start = Math.floor(range.start / step) * step;
  const end = Math.max(start, Math.floor(range.end / step) * step);
  return { start, end };
}

/**
 * Window for rate()/histogram buckets: at least 4 scrape intervals (rate needs two samples in the
 * window even with a missed scrape) and at least one step (so no samples fall between windows).
 */
export function rateWindowFor(step: number, options: StepOptions = {}): number {
  return Math.max(step, 4 * (options.scrapeIntervalSec ?? 15));
}

/** A duration in PromQL syntax ("90s", "5m", "1h"), from whole seconds. */
export function promDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
