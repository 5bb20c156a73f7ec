import { env } from "@/lib/config/env";
import { prometheusFromEnv, type PrometheusClient } from "@/lib/integrations/prometheus/client";
import { PrometheusError } from "@/lib/integrations/prometheus/errors";
import type { QueryData } from "@/lib/integrations/prometheus/schemas";
import { alignRange, promDuration, rateWindowFor, stepFor } from "@/lib/integrations/prometheus/step";
import { requireParam, validateParams } from "./params";
import { dashboardPanel, getDashboard } from "./dashboards";
import { MetricsParamError } from "./errors";
import { lttb } from "./lttb";
import { MAX_QUERY_LENGTH, namespaceMatcher, scopeQuery } from "./promql-scope";
import { createQueryRunner, type QueryRunner } from "./query-runner";
import type { DeploymentRef, PanelData, PanelResult, RunDashboardInput, RunPanelInput, Scope, Series, TimeRange } from "./types";

/** Longest range a dashboard may ask for (Prometheus retention is 15 days by default). */
export const MAX_RANGE_SECONDS = 31 * 86_400;
/** Most series one panel returns; the rest are dropped with a warning (a chart of 500 lines says nothing). */
export const MAX_SERIES_PER_PANEL = 50;
export const MAX_EXPLORE_SERIES = 200;
/** Points per series leaving the server. */
export const MAX_POINTS_OUT = 1000;
const DASHBOARD_CONCURRENCY = 6;

export interface MetricsServiceOptions {
  client: Pick<PrometheusClient, "query" | "queryRange" | "series">;
  scrapeIntervalSec: number;
  runner?: QueryRunner;
  now?: () => number;
}

function checkRange(range: TimeRange, now: number): void {
  if (!Number.isFinite(range.start) || !Number.isFinite(range.end) || range.end <= range.start) {
    throw new MetricsParamError("range", "the range must end after it starts");
  }
  if (range.end - range.start > MAX_RANGE_SECONDS) throw new MetricsParamError("range", "the range may span at most 31 days");
  if (range.end > now + 3600) throw new MetricsParamError("range", "the range ends in the future");
}

const fill = (template: string, labels: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => labels[name] ?? "");

const seriesKey = (id: string, labels: Record<string, string>) =>
  `${id}|${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",")}`;

/** NaN and ±Inf (no traffic, division by zero) cannot travel as JSON and mean "no value". */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * A matrix as chart series on the step grid: a step Prometheus returned nothing for becomes
 * null (a gap), so charts do not join points across missing data; then LTTB to the width.
 */
function toSeries(data: QueryData, spec: { id: string; legend: string; axis?: "left" | "right" }, grid: { start: number; end: number; step: number }, maxPoints: number): Series[] {
  if (data.resultType !== "matrix") return [];
  return data.result.map(({ metric, values }) => {
    const byTime = new Map(values.map(([t, v]) => [Math.round(t), finite(v)]));
    const points: Array<[number, number | null]> = [];
    for (let t = grid.start; t <= grid.end; t += grid.step) points.push([t, byTime.get(t) ?? null]);
    const labels = { ...metric };
    return {
      key: seriesKey(spec.id, labels),
      label: fill(spec.legend, labels) || spec.id,
      labels,
      ...(spec.axis ? { axis: spec.axis } : {}),
      points: lttb(points, maxPoints),
    };
  });
}

/** Where the autoscaler's desired count changed: "2 → 3". */
function autoscaleMarkers(series: Series[]): NonNullable<PanelData["markers"]> {
  const markers: NonNullable<PanelData["markers"]> = [];
  for (const s of series) {
    let previous: number | null = null;
    for (const [time, value] of s.points) {
      if (value === null) continue;
      if (previous !== null && value !== previous) markers.push({ time, label: `desired ${previous} → ${value}`, kind: "autoscale" });
      previous = value;
    }
  }
  return markers.sort((a, b) => a.time - b.time);
}

function statValue(data: QueryData): number | null {
  if (data.resultType === "scalar") return finite(data.result[1]);
  if (data.resultType === "vector") {
    const value = data.result[0]?.value;
    return value ? finite(value[1]) : null;
  }
  return null;
}

/** A tenant-scoped caller's query goes through the rewrite here, so no caller can forget it. */
function scoped(expr: string, scope: Scope): string {
  return scope.kind === "platform" ? expr : scopeQuery(expr, scope.namespaces);
}

export function createMetricsService(options: MetricsServiceOptions) {
  const runner = options.runner ?? createQueryRunner(options.client);
  const now = options.now ?? (() => Date.now() / 1000);
  const scrape = { scrapeIntervalSec: options.scrapeIntervalSec };
  // Finished panels, for as long as the runner keeps their upstream answers: a refresh by the
  // same or another viewer skips rebuilding and downsampling dozens of series as well.
  const built = new Map<string, { expires: number; data: PanelData }>();
  const PANEL_TTL_S = 15;
  const MAX_PANELS_KEPT = 500;

  async function runPanel(input: RunPanelInput): Promise<PanelData> {
    const panel = dashboardPanel(input.dashboard, input.panelId);
    const params = validateParams(input.params);
    for (const key of panel.requires ?? []) requireParam(params, key);
    if (input.scope.kind === "tenant" && params.namespace && !input.scope.namespaces.includes(params.namespace)) {
      // Same answer as for a namespace that does not exist: existence must not leak.
      throw new MetricsParamError("namespace", "no such namespace");
    }
    checkRange(input.range, now());
    const step = stepFor(input.range.end - input.range.start, input.widthPx, scrape);
    const grid = { ...alignRange(input.range, step), step };
    const ctx = { params, rate: promDuration(rateWindowFor(step, scrape)), range: promDuration(grid.end - grid.start || step) };
    const specs = panel.queries(ctx).map((spec) => ({ ...spec, expr: scoped(spec.expr, input.scope) }));
    const warnings = new Set<string>();
    const note = panel.note?.(params);
    if (note) warnings.add(note);
    const maxPoints = Math.min(MAX_POINTS_OUT, Math.max(2, Math.round(input.widthPx) || 2));
    // The scoped expressions carry the scope and every parameter: equal keys, equal answers.
    const key = JSON.stringify([panel.id, specs.map((s) => s.expr), grid, maxPoints]);
    const kept = built.get(key);
    if (kept && kept.expires > now()) return kept.data;
    const data = await buildPanel();
    if (built.size >= MAX_PANELS_KEPT) built.delete(built.keys().next().value!);
    built.set(key, { expires: now() + Math.min(step, PANEL_TTL_S), data });
    return data;

    async function buildPanel(): Promise<PanelData> {
      if (panel.kind === "stat") {
        const answer = await runner.query(specs[0]!.expr, grid.end, input.signal);
        answer.warnings.forEach((w) => warnings.add(w));
        return { panelId: panel.id, unit: panel.unit, step, series: [], stat: statValue(answer.data), warnings: [...warnings] };
      }

      const answers = await Promise.all(specs.map((spec) => runner.queryRange(spec.expr, grid.start, grid.end, step, input.signal)));
      let series: Series[] = [];
      let markerSource: Series[] = [];
      answers.forEach((answer, i) => {
        answer.warnings.forEach((w) => warnings.add(w));
        const made = toSeries(answer.data, specs[i]!, grid, maxPoints);
        if (specs[i]!.id === panel.markersFrom) markerSource = toSeries(answer.data, specs[i]!, grid, Number.MAX_SAFE_INTEGER);
        series.push(...made);
      });
      if (series.length > MAX_SERIES_PER_PANEL) {
        warnings.add(`Showing ${MAX_SERIES_PER_PANEL} of ${series.length} series; filter by namespace or model to see the rest.`);
        series = series.slice(0, MAX_SERIES_PER_PANEL);
      }
      return {
        panelId: panel.id,
        unit: panel.unit,
        step,
        series,
        warnings: [...warnings],
        ...(panel.markersFrom ? { markers: autoscaleMarkers(markerSource) } : {}),
      };
    }
  }

  async function runDashboard(input: RunDashboardInput): Promise<PanelResult[]> {
    const ids = input.panels ?? getDashboard(input.dashboard).panels.map((p) => p.id);
    const results: PanelResult[] = new Array(ids.length);
    let next = 0;
    // A fixed pool of workers: at most DASHBOARD_CONCURRENCY panels in flight, and one
    // panel's failure is that panel's error, not the dashboard's.
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        const panelId = ids[index]!;
        try {
          results[index] = { panelId, data: await runPanel({ ...input, panelId }) };
        } catch (error) {
          results[index] = { panelId, error: describe(error) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DASHBOARD_CONCURRENCY, ids.length) }, worker));
    return results;
  }

  /** Raw PromQL for platform admins (the caller checks the role); limits still apply. */
  async function runExplore(input: { query: string; range: TimeRange; widthPx: number; signal?: AbortSignal }): Promise<PanelData> {
    if (!input.query.trim()) throw new MetricsParamError("query", "the query is empty");
    if (input.query.length > MAX_QUERY_LENGTH) throw new MetricsParamError("query", `the query is longer than ${MAX_QUERY_LENGTH.toLocaleString("en-US")} characters`);
    checkRange(input.range, now());
    const step = stepFor(input.range.end - input.range.start, input.widthPx, scrape);
    const grid = { ...alignRange(input.range, step), step };
    const answer = await runner.queryRange(input.query, grid.start, grid.end, step, input.signal);
    const maxPoints = Math.min(MAX_POINTS_OUT, Math.max(2, Math.round(input.widthPx) || 2));
    let series = toSeries(answer.data, { id: "explore", legend: "" }, grid, maxPoints).map((s) => ({ ...s, label: labelText(s.labels) }));
    const warnings = [...answer.warnings, ...answer.infos];
    if (series.length > MAX_EXPLORE_SERIES) {
      warnings.push(`Showing ${MAX_EXPLORE_SERIES} of ${series.length} series.`);
      series = series.slice(0, MAX_EXPLORE_SERIES);
    }
    return { panelId: "explore", unit: "count", step, series, warnings };
  }

  /** The model deployments visible in scope, from the series API (vLLM pods carry all three labels). */
  async function listDeployments(scope: Scope, range?: TimeRange): Promise<DeploymentRef[]> {
    const end = range?.end ?? Math.floor(now());
    const start = range?.start ?? end - 3600;
    const selector = scope.kind === "platform" ? `vllm:num_requests_running` : `vllm:num_requests_running{${namespaceMatcher(scope.namespaces)}}`;
    const answer = await options.client.series([scoped(selector, scope)], start, end);
    const seen = new Map<string, DeploymentRef>();
    for (const labels of answer.data) {
      const { namespace, deployment, model_name: model } = labels;
      if (!namespace || !deployment || !model) continue;
      if (scope.kind === "tenant" && !scope.namespaces.includes(namespace)) continue;
      seen.set(`${namespace}/${deployment}/${model}`, { namespace, deployment, model });
    }
    return [...seen.values()].sort((a, b) => `${a.namespace}/${a.deployment}`.localeCompare(`${b.namespace}/${b.deployment}`) || a.model.localeCompare(b.model));
  }

  return { runPanel, runDashboard, runExplore, listDeployments, runner };
}

const labelText = (labels: Record<string, string>) => {
  const { __name__: name, ...rest } = labels;
  const inner = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(", ");
  return `${name ?? ""}{${inner}}`;
};

/** What a failed panel shows: our own errors' messages are safe; anything else is generic. */
function describe(error: unknown): { kind: string; message: string } {
  if (error instanceof PrometheusError) return { kind: error.kind, message: error.message };
  if (error instanceof MetricsParamError) return { kind: "invalid", message: `${error.field}: ${error.message}` };
  if ((error as Error)?.name === "AbortError" || (error as Error)?.name === "TimeoutError") return { kind: "aborted", message: "cancelled" };
  return { kind: "unexpected", message: "The panel could not be loaded" };
}

export type MetricsService = ReturnType<typeof createMetricsService>;

const holder = globalThis as typeof globalThis & { __portalMetricsService?: MetricsService };

function service(): MetricsService {
  return (holder.__portalMetricsService ??= createMetricsService({
    client: prometheusFromEnv(),
    scrapeIntervalSec: env().PROMETHEUS_SCRAPE_INTERVAL_SECONDS,
  }));
}

/** Runs one panel; throws PrometheusError or MetricsParamError (field-level). */
export const runPanel = (input: RunPanelInput): Promise<PanelData> => service().runPanel(input);
/** All (or the listed) panels, at most 6 at a time; a failed panel carries its error. */
export const runDashboard = (input: RunDashboardInput): Promise<PanelResult[]> => service().runDashboard(input);
/** Raw PromQL: platform admins only — the caller checks the role. */
export const runExplore = (input: { query: string; range: TimeRange; widthPx: number; signal?: AbortSignal }): Promise<PanelData> => service().runExplore(input);
export const listDeployments = (scope: Scope, range?: TimeRange): Promise<DeploymentRef[]> => service().listDeployments(scope, range);
