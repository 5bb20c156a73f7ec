import type { PanelDef, PanelResult, Series } from "@/lib/metrics/types";

export type PanelState = "loading" | "ok" | "empty" | "error";

const hasValue = (s: Series) => s.points.some(([, v]) => v !== null && Number.isFinite(v));

/**
 * Which of the four faces a panel shows. "Empty" and "error" must never be confused: an empty
 * panel means Prometheus answered with no samples (no traffic, or nothing deployed), an error
 * means it did not answer or refused the query, and the user acts differently on each.
 */
export function panelState(def: Pick<PanelDef, "kind">, result: PanelResult | undefined): PanelState {
  if (!result) return "loading";
  if (result.error) return "error";
  const data = result.data;
  if (!data) return "empty";
  if (def.kind === "stat" && typeof data.stat === "number" && Number.isFinite(data.stat)) return "ok";
  return data.series.some(hasValue) ? "ok" : "empty";
}

export type SeriesSummary = { key: string; label: string; last: number | null; min: number | null; max: number | null; mean: number | null };

/** Last, min, max and mean of each series over the range, ignoring gaps: the panel's table view. */
export function summarize(series: Series[]): SeriesSummary[] {
  return series.map((s) => {
    const values = s.points.map(([, v]) => v).filter((v): v is number => v !== null && Number.isFinite(v));
    const last = [...s.points].reverse().find(([, v]) => v !== null && Number.isFinite(v))?.[1] ?? null;
    if (!values.length) return { key: s.key, label: s.label, last: null, min: null, max: null, mean: null };
    return {
      key: s.key,
      label: s.label,
      last,
      min: Math.min(...values),
      max: Math.max(...values),
      mean: values.reduce((a, b) => a + b, 0) / values.length,
    };
  });
}

export type SloLevel = "good" | "warning" | "bad" | "unknown";

/**
 * Colour of an SLO-attainment tile (attainment as a 0–1 ratio): green at or above the
 * objective, amber within five points below it, red further down.
 */
export function sloLevel(attainment: number | null | undefined, objective = 0.99): SloLevel {
  if (attainment === null || attainment === undefined || !Number.isFinite(attainment)) return "unknown";
  if (attainment >= objective) return "good";
  if (attainment >= objective - 0.05) return "warning";
  return "bad";
}
