import { MetricsParamError } from "./errors";
import type { ValidParams } from "./params";
import { promqlString, regexLiteral } from "./promql-string";
import type { PanelDef } from "./types";

/**
 * Named, parameterized PromQL written against the real metric names (vLLM v1, DCGM exporter,
 * kube-state-metrics; see shared/reference/metrics). Parameters arrive validated (params.ts) and
 * are escaped here; tenant scoping is applied afterwards, to the finished query, by runPanel.
 */

export interface QueryContext {
  params: ValidParams;
  /** Rate window in PromQL syntax, ≥ 4 scrape intervals and ≥ the step. */
  rate: string;
  /** For stat panels: the whole selected range in PromQL syntax. */
  range: string;
}

export interface QuerySpec {
  /** Distinguishes the queries of one panel (p50/p95/p99, used/total) in series keys. */
  id: string;
  expr: string;
  /** Legend: `{{label}}` placeholders are filled from the series' labels. */
  legend: string;
  axis?: "left" | "right";
}

export interface CatalogPanel extends PanelDef {
  queries: (ctx: QueryContext) => QuerySpec[];
  /** Parameters the panel cannot run without (a field error names the first missing one). */
  requires?: Array<"namespace" | "deployment" | "model">;
  /** Autoscale markers are derived from the changes of the query with this id. */
  markersFrom?: string;
  /** A note for the panel's warnings, computed from the parameters (e.g. bucket snapping). */
  note?: (params: ValidParams) => string | undefined;
}

// vLLM's bucket boundaries (vllm/v1/metrics/loggers.py; shared/reference/metrics/vllm-metrics.txt).
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
export const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
export const DEFAULT_TTFT_SLO_MS = 500;
export const DEFAULT_ITL_SLO_MS = 50;

/** The bucket boundary nearest to a threshold: a histogram can only count "≤ boundary". */
export function snapToBucket(seconds: number, buckets: readonly number[]): number {
  return buckets.reduce((best, b) => (Math.abs(b - seconds) < Math.abs(best - seconds) ? b : best), buckets[0]!);
}

/**
 * `le` as exporters write it: Python's prometheus_client writes `1.0`, Go's `1`; match both so
 * the SLO tile works against vLLM and against simulators alike.
 */
export function leMatcher(bound: number): string {
  const forms = new Set([String(bound), Number.isInteger(bound) ? `${bound}.0` : String(bound)]);
  return `le=~${promqlString(`^(?:${[...forms].map(regexLiteral).join("|")})$`)}`;
}

type Filter = Partial<Record<"namespace" | "deployment" | "model_name", string>>;

/** `metric{a="x",b="y"}` from validated values; every value goes through the literal escaper. */
export function sel(metric: string, filter: Filter, extra: string[] = []): string {
  const matchers = [
    ...Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .map(([label, value]) => `${label}=${promqlString(value!, label)}`),
    ...extra,
  ];
  return matchers.length ? `${metric}{${matchers.join(",")}}` : metric;
}

const serving = (p: ValidParams): Filter => ({ namespace: p.namespace, deployment: p.deployment, model_name: p.model });
const nsOnly = (p: ValidParams): Filter => ({ namespace: p.namespace });
const deploymentOf = (p: ValidParams): Filter => ({ namespace: p.namespace, deployment: p.deployment });
const BY = "namespace, model_name";
const LEGEND = "{{namespace}}/{{model_name}}";

const quantiles = (metric: string, ctx: QueryContext, by = ""): QuerySpec[] =>
  [0.5, 0.95, 0.99].map((q) => ({
    id: `p${Math.round(q * 100)}`,
    expr: `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${sel(`${metric}_bucket`, serving(ctx.params))}[${ctx.rate}])))`,
    legend: `p${Math.round(q * 100)}${by ? ` ${LEGEND}` : ""}`,
  }));

/**
 * GPU series carry the namespace/pod of the pod using the GPU (DCGM pod mapping) but not its
 * deployment; a deployment filter joins them to that deployment's vLLM pods.
 */
function gpuSeries(metric: string, p: ValidParams): string {
  const gpu = sel(metric, nsOnly(p));
  if (!p.deployment && !p.model) return gpu;
  return `(${gpu} * on (namespace, pod) group_left () group by (namespace, pod) (${sel("vllm:num_requests_running", serving(p))}))`;
}

function sloTile(kind: "ttft" | "itl", p: ValidParams, ctx: QueryContext): QuerySpec[] {
  const metric = kind === "ttft" ? "vllm:time_to_first_token_seconds" : "vllm:inter_token_latency_seconds";
  const ms = kind === "ttft" ? (p.ttftSloMs ?? DEFAULT_TTFT_SLO_MS) : (p.itlSloMs ?? DEFAULT_ITL_SLO_MS);
  const bound = snapToBucket(ms / 1000, kind === "ttft" ? TTFT_BUCKETS : ITL_BUCKETS);
  const within = `sum(increase(${sel(`${metric}_bucket`, serving(p), [leMatcher(bound)])}[${ctx.range}]))`;
  const all = `sum(increase(${sel(`${metric}_count`, serving(p))}[${ctx.range}]))`;
  return [{ id: kind, expr: `${within} / ${all}`, legend: `≤ ${bound * 1000} ms` }];
}

function snapNote(kind: "TTFT" | "ITL", ms: number, buckets: readonly number[]): string | undefined {
  const bound = snapToBucket(ms / 1000, buckets);
  return Math.abs(bound * 1000 - ms) > 1e-9 ? `${kind} threshold ${ms} ms snapped to the nearest histogram bucket boundary, ${bound * 1000} ms.` : undefined;
}

export const PANELS: Record<string, CatalogPanel> = Object.fromEntries(
  ([
    {
      id: "output-tokens", title: "Output tokens/s", unit: "tokens/s", kind: "timeseries", group: "Serving",
      description: "Generated tokens per second: rate of vllm:generation_tokens_total, summed per namespace and served model.",
      queries: (c) => [{ id: "tokens", expr: `sum by (${BY}) (rate(${sel("vllm:generation_tokens_total", serving(c.params))}[${c.rate}]))`, legend: LEGEND }],
    },
    {
      id: "prompt-tokens", title: "Prompt tokens/s", unit: "tokens/s", kind: "timeseries", group: "Serving",
      description: "Prompt (prefill) tokens per second: rate of vllm:prompt_tokens_total per namespace and served model.",
      queries: (c) => [{ id: "tokens", expr: `sum by (${BY}) (rate(${sel("vllm:prompt_tokens_total", serving(c.params))}[${c.rate}]))`, legend: LEGEND }],
    },
    {
      id: "requests", title: "Requests/s", unit: "req/s", kind: "timeseries", group: "Serving",
      description: "Finished requests per second (any finish reason): rate of vllm:request_success_total. Counts requests when they finish, not when they arrive.",
      queries: (c) => [{ id: "requests", expr: `sum by (${BY}) (rate(${sel("vllm:request_success_total", serving(c.params))}[${c.rate}]))`, legend: LEGEND }],
    },
    {
      id: "running", title: "Requests running", unit: "count", kind: "timeseries", group: "Serving",
      description: "Requests in the model servers' running batch (vllm:num_requests_running), summed over pods.",
      queries: (c) => [{ id: "running", expr: `sum by (${BY}) (${sel("vllm:num_requests_running", serving(c.params))})`, legend: LEGEND }],
    },
    {
      id: "waiting", title: "Requests waiting", unit: "count", kind: "timeseries", group: "Serving",
      description: "Requests queued in the model servers (vllm:num_requests_waiting), summed over pods: the signal KEDA scales on.",
      queries: (c) => [{ id: "waiting", expr: `sum by (${BY}) (${sel("vllm:num_requests_waiting", serving(c.params))})`, legend: LEGEND }],
    },
    {
      id: "kv-cache", title: "KV-cache usage", unit: "percent", kind: "timeseries", group: "Serving",
      description: "KV-cache usage (vllm:kv_cache_usage_perc, 0..1, shown ×100): the busiest pod and the average over pods. Near 100% requests get preempted.",
      queries: (c) => [
        { id: "max", expr: `max by (${BY}) (${sel("vllm:kv_cache_usage_perc", serving(c.params))}) * 100`, legend: `max ${LEGEND}` },
        { id: "avg", expr: `avg by (${BY}) (${sel("vllm:kv_cache_usage_perc", serving(c.params))}) * 100`, legend: `avg ${LEGEND}` },
      ],
    },
    {
      id: "ttft", title: "Time to first token", unit: "seconds", kind: "timeseries", group: "Latency",
      description: "TTFT p50/p95/p99 over all selected pods: histogram_quantile over summed vllm:time_to_first_token_seconds buckets. Quantiles are interpolated within buckets, so they are estimates.",
      queries: (c) => quantiles("vllm:time_to_first_token_seconds", c),
    },
    {
      id: "itl", title: "Inter-token latency", unit: "seconds", kind: "timeseries", group: "Latency",
      description: "Inter-token latency p50/p95/p99 from vllm:inter_token_latency_seconds buckets (interpolated estimates).",
      queries: (c) => quantiles("vllm:inter_token_latency_seconds", c),
    },
    {
      id: "e2e", title: "End-to-end latency", unit: "seconds", kind: "timeseries", group: "Latency",
      description: "Request latency in the model server p50/p95/p99 from vllm:e2e_request_latency_seconds buckets (excludes gateway time).",
      queries: (c) => quantiles("vllm:e2e_request_latency_seconds", c),
    },
    {
      id: "ttft-p95-by-model", title: "TTFT p95 by model", unit: "seconds", kind: "timeseries", group: "Latency",
      description: "p95 time to first token per namespace and served model (histogram_quantile per group).",
      queries: (c) => [quantiles("vllm:time_to_first_token_seconds", c, BY)[1]!],
    },
    {
      id: "errors", title: "Error rate", unit: "percent", kind: "timeseries", group: "Serving",
      description: "Share of finished requests that ended in abort or error (vllm:request_success_total by finished_reason). Empty when no request finished in the window.",
      queries: (c) => {
        const f = serving(c.params);
        const failed = `sum by (${BY}) (rate(${sel("vllm:request_success_total", f, ['finished_reason=~"abort|error"'])}[${c.rate}]))`;
        const all = `sum by (${BY}) (rate(${sel("vllm:request_success_total", f)}[${c.rate}]))`;
        return [{ id: "errors", expr: `100 * (${failed} or (0 * ${all})) / (${all} > 0)`, legend: LEGEND }];
      },
    },
    {
      id: "slo-ttft", title: "TTFT SLO attainment", unit: "ratio", kind: "stat", group: "SLO",
      description: "Share of requests over the selected range whose time to first token was within the threshold (default 500 ms). The histogram can only count up to a bucket boundary, so the threshold is snapped to the nearest vLLM TTFT bucket (the panel's warning says when it was).",
      queries: (c) => sloTile("ttft", c.params, c),
      note: (p) => snapNote("TTFT", p.ttftSloMs ?? DEFAULT_TTFT_SLO_MS, TTFT_BUCKETS),
    },
    {
      id: "slo-itl", title: "ITL SLO attainment", unit: "ratio", kind: "stat", group: "SLO",
      description: "Share of inter-token gaps over the selected range within the threshold (default 50 ms), snapped to the nearest vLLM ITL bucket boundary (the panel's warning says when it was). Counts token gaps, not requests.",
      queries: (c) => sloTile("itl", c.params, c),
      note: (p) => snapNote("ITL", p.itlSloMs ?? DEFAULT_ITL_SLO_MS, ITL_BUCKETS),
    },
    {
      id: "tokens-total", title: "Output tokens in range", unit: "count", kind: "stat", group: "Usage",
      description: "Generated tokens over the selected range: increase of vllm:generation_tokens_total (extrapolated at the range edges, so not an exact count).",
      queries: (c) => [{ id: "total", expr: `sum(increase(${sel("vllm:generation_tokens_total", serving(c.params))}[${c.range}]))`, legend: "tokens" }],
    },
    {
      id: "requests-total", title: "Requests in range", unit: "count", kind: "stat", group: "Usage",
      description: "Finished requests over the selected range: increase of vllm:request_success_total (extrapolated).",
      queries: (c) => [{ id: "total", expr: `sum(increase(${sel("vllm:request_success_total", serving(c.params))}[${c.range}]))`, legend: "requests" }],
    },
    {
      id: "tokens-by-tenant", title: "Output tokens/s by tenant", unit: "tokens/s", kind: "timeseries", group: "Usage",
      description: "Generated tokens per second per tenant (the tenant label the portal puts on model pods).",
      queries: (c) => [{ id: "tokens", expr: `sum by (tenant) (rate(${sel("vllm:generation_tokens_total", serving(c.params))}[${c.rate}]))`, legend: "{{tenant}}" }],
    },
    {
      id: "gpu-util", title: "GPU utilization", unit: "percent", kind: "timeseries", group: "GPU",
      description: "DCGM_FI_DEV_GPU_UTIL per GPU (0..100): the share of time a kernel was running, not how much of the GPU it used.",
      queries: (c) => [{ id: "util", expr: `max by (node, gpu) (${gpuSeries("DCGM_FI_DEV_GPU_UTIL", c.params)})`, legend: "{{node}} GPU {{gpu}}" }],
    },
    {
      id: "gpu-memory", title: "GPU memory", unit: "mebibytes", kind: "timeseries", group: "GPU",
      description: "Framebuffer memory used and total (used + free) per node, from DCGM_FI_DEV_FB_USED/FB_FREE (MiB). vLLM preallocates most of it for the KV cache, so high use is normal.",
      queries: (c) => [
        { id: "used", expr: `sum by (node) (${gpuSeries("DCGM_FI_DEV_FB_USED", c.params)})`, legend: "used {{node}}" },
        { id: "total", expr: `sum by (node) (${gpuSeries("DCGM_FI_DEV_FB_USED", c.params)} + ${gpuSeries("DCGM_FI_DEV_FB_FREE", c.params)})`, legend: "total {{node}}" },
      ],
    },
    {
      id: "gpu-power", title: "GPU power", unit: "watts", kind: "timeseries", group: "GPU",
      description: "Power draw per node, summed over its GPUs (DCGM_FI_DEV_POWER_USAGE, W).",
      queries: (c) => [{ id: "power", expr: `sum by (node) (${gpuSeries("DCGM_FI_DEV_POWER_USAGE", c.params)})`, legend: "{{node}}" }],
    },
    {
      id: "gpu-temp", title: "GPU temperature", unit: "celsius", kind: "timeseries", group: "GPU",
      description: "Hottest GPU per node (DCGM_FI_DEV_GPU_TEMP, °C).",
      queries: (c) => [{ id: "temp", expr: `max by (node) (${gpuSeries("DCGM_FI_DEV_GPU_TEMP", c.params)})`, legend: "{{node}}" }],
    },
    {
      id: "replicas-fleet", title: "Model server replicas", unit: "replicas", kind: "timeseries", group: "Capacity",
      description: "Desired (spec) and ready replicas of the deployments serving models (kube-state-metrics), summed per namespace.",
      queries: (c) => {
        const ready = `sum by (namespace) (${sel("kube_deployment_status_replicas_ready", deploymentOf(c.params))} and on (namespace, deployment) group by (namespace, deployment) (${sel("vllm:num_requests_running", serving(c.params))}))`;
        const spec = `sum by (namespace) (${sel("kube_deployment_spec_replicas", deploymentOf(c.params))} and on (namespace, deployment) group by (namespace, deployment) (${sel("vllm:num_requests_running", serving(c.params))}))`;
        return [
          { id: "desired", expr: spec, legend: "desired {{namespace}}" },
          { id: "ready", expr: ready, legend: "ready {{namespace}}" },
        ];
      },
    },
    {
      id: "replicas", title: "Replicas: desired vs ready", unit: "replicas", kind: "timeseries", group: "Capacity",
      description: "The autoscaler's desired replicas (KEDA's HPA, kube_horizontalpodautoscaler_status_desired_replicas), the deployment's spec and its ready replicas (kube-state-metrics). Markers show where the desired count changed.",
      requires: ["namespace", "deployment"],
      markersFrom: "hpa",
      queries: (c) => {
        const p = c.params;
        const hpa = `max by (namespace) (${sel("kube_horizontalpodautoscaler_status_desired_replicas", nsOnly(p))} * on (namespace, horizontalpodautoscaler) group_left () ${sel("kube_horizontalpodautoscaler_info", nsOnly(p), [`scaletargetref_name=${promqlString(p.deployment!)}`])})`;
        return [
          { id: "hpa", expr: hpa, legend: "desired (autoscaler)" },
          { id: "spec", expr: `max(${sel("kube_deployment_spec_replicas", deploymentOf(p))})`, legend: "spec" },
          { id: "ready", expr: `max(${sel("kube_deployment_status_replicas_ready", deploymentOf(p))})`, legend: "ready" },
        ];
      },
    },
    {
      id: "scaling-signal", title: "Scaling signal", unit: "percent", secondaryUnit: "count", kind: "timeseries", group: "Capacity",
      description: "Average GPU utilization of the deployment's pods (left axis) next to its queue depth, the sum of vllm:num_requests_waiting (right axis), which KEDA scales on. A deep queue at low utilization points at a batching or KV-cache limit rather than compute.",
      requires: ["namespace", "deployment"],
      queries: (c) => [
        { id: "gpu", expr: `avg(${gpuSeries("DCGM_FI_DEV_GPU_UTIL", c.params)})`, legend: "GPU utilization", axis: "left" },
        { id: "queue", expr: `sum(${sel("vllm:num_requests_waiting", serving(c.params))})`, legend: "queue depth", axis: "right" },
      ],
    },
  ] satisfies CatalogPanel[]).map((panel) => [panel.id, panel]),
);

export function catalogPanel(id: string): CatalogPanel {
  const panel = PANELS[id];
  if (!panel) throw new MetricsParamError("panelId", `unknown panel ${JSON.stringify(id.slice(0, 60))}`);
  return panel;
}
