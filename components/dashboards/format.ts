import type { Unit } from "@/lib/metrics/types";

/**
 * How a number reads on a chart, in a tooltip and in a table. One place, so that a latency is
 * "183 ms" everywhere and never "0.183" in one panel and "183" in another.
 *
 * `percent` values are already 0–100 (DCGM's GPU utilization); `ratio` values are 0–1 (vLLM's
 * KV-cache usage, SLO attainment) and are shown as percent too.
 */

const EMPTY = "—";

function trim(value: number, digits: number): string {
  // toFixed then drop trailing zeros: 2.50 → "2.5", 3.00 → "3".
  return Number(value.toFixed(digits)).toString();
}

function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 100) return trim(value, 0);
  if (abs >= 10) return trim(value, 1);
  if (abs >= 1) return trim(value, 2);
  return Number(value.toPrecision(2)).toString();
}

/** 1234 → "1.23k", 2_500_000 → "2.5M": for counts and rates that span orders of magnitude. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${significant(value / 1e9)}G`;
  if (abs >= 1e6) return `${significant(value / 1e6)}M`;
  if (abs >= 1e3) return `${significant(value / 1e3)}k`;
  return significant(value);
}

export function formatSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs === 0) return "0 ms";
  if (abs < 0.001) return `${significant(seconds * 1e6)} µs`;
  if (abs < 1) return `${significant(seconds * 1000)} ms`;
  if (abs < 120) return `${significant(seconds)} s`;
  if (abs < 7200) return `${significant(seconds / 60)} min`;
  return `${significant(seconds / 3600)} h`;
}

function formatMebibytes(mib: number): string {
  const abs = Math.abs(mib);
  if (abs >= 1024 * 1024) return `${significant(mib / (1024 * 1024))} TiB`;
  if (abs >= 1024) return `${significant(mib / 1024)} GiB`;
  return `${significant(mib)} MiB`;
}

function formatWatts(watts: number): string {
  return Math.abs(watts) >= 1000 ? `${significant(watts / 1000)} kW` : `${significant(watts)} W`;
}

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return EMPTY;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  switch (unit) {
    // Small shares keep two significant digits: 0.12% and 0.18% must not both read "0.1%".
    case "percent":
      return `${Math.abs(value) < 1 ? significant(value) : trim(value, 1)}%`;
    case "ratio":
      return `${Math.abs(value) < 0.01 ? significant(value * 100) : trim(value * 100, 1)}%`;
    case "seconds":
      return formatSeconds(value);
    case "tokens/s":
      return `${compact(value)} tok/s`;
    case "req/s":
      return `${compact(value)} req/s`;
    case "watts":
      return formatWatts(value);
    case "celsius":
      return `${trim(value, 1)} °C`;
    case "mebibytes":
      return formatMebibytes(value);
    case "replicas":
      return trim(value, 1);
    case "count":
      return compact(value);
  }
}

/** Axis ticks: the same text with a no-break space, so the chart never wraps "240 tok/s" in two. */
export function formatTick(value: number, unit: Unit): string {
  return formatValue(value, unit).replace(/ /g, "\u00a0");
}

/**
 * Tick label of a time axis: clock time for windows up to two days, day and time beyond.
 * `timeZone` is for tests; the browser's zone otherwise.
 */
export function formatTimeTick(seconds: number, spanSeconds: number, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions =
    spanSeconds <= 2 * 86400
      ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }
      : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  return new Intl.DateTimeFormat("en-GB", options).format(new Date(seconds * 1000));
}

/** Full time for tooltips and tables: "2025-08-20 10:00:00". */
export function formatTimeFull(seconds: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).formatToParts(new Date(seconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}
