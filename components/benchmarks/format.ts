/** Benchmark figures as the pages print them: a missing figure is "—", never 0. */
export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function fmtRate(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2)} ${unit}`;
}

export function fmtPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${(v * 100).toFixed(v < 0.01 && v > 0 ? 2 : 1)}%`;
}

/** Cents → "$1.23" (sub-cent figures keep precision: a cheap model costs fractions of a cent). */
export function fmtDollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return "—";
  const dollars = cents / 100;
  return dollars < 0.1 ? `$${dollars.toFixed(4)}` : `$${dollars.toFixed(2)}`;
}

export function loadLabel(kind: string | null | undefined, load: number | null): string {
  if (load === null) return kind === "rate" ? "∞ req/s" : "—";
  return kind === "rate" ? `${load} req/s` : `c=${load}`;
}

/** What a run's source is called in the UI; the reference run must never look like a measurement of ours. */
export function sourceLabel(source: string): string {
  if (source === "reference") return "reference (imported)";
  if (source.startsWith("import:")) return `imported · ${source.slice("import:".length)}`;
  return source === "cli" ? "command line" : "portal";
}
