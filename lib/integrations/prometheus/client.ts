import type { z } from "zod";
import { env } from "@/lib/config/env";
import { metrics } from "@/lib/observability/metrics";
import { PrometheusError, type PrometheusErrorKind } from "./errors";
import {
  alertsDataSchema,
  envelopeSchema,
  queryDataSchema,
  seriesDataSchema,
  stringListSchema,
  type QueryData,
} from "./schemas";

export type PrometheusConfig = {
  url: string;
  bearerToken?: string;
  timeoutMs: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
};

/** What every call returns besides its data: Prometheus's non-fatal annotations. */
export type Annotated<T> = { data: T; warnings: string[]; infos: string[] };

const RETRY_DELAY_MS = 200;
const TOO_MANY_POINTS = /exceeded maximum resolution of ([\d,]+) points per timeseries/i;

function errorFromEnvelope(errorType: string | undefined, error: string, status: number): PrometheusError {
  const points = TOO_MANY_POINTS.exec(error);
  if (points) {
    return new PrometheusError("too_many_points", `query exceeded ${points[1]} points per series — the range/step is too fine`, status);
  }
  const kinds: Record<string, PrometheusErrorKind> = {
    bad_data: "bad_data",
    execution: "execution",
    timeout: "timeout",
    canceled: "unavailable",
    unavailable: "unavailable",
    internal: "unexpected",
  };
  const kind = kinds[errorType ?? ""] ?? "unexpected";
  const prefix: Record<PrometheusErrorKind, string> = {
    bad_data: "Prometheus rejected the query",
    execution: "Prometheus could not evaluate the query",
    timeout: "Prometheus gave up on the query (timeout): narrow the range or simplify it",
    unavailable: "Prometheus is unavailable",
    too_many_points: "",
    unexpected: `Prometheus failed (${errorType ?? status})`,
  };
  return new PrometheusError(kind, `${prefix[kind]}: ${error.slice(0, 500)}`, status);
}

/**
 * Typed client for Prometheus's HTTP API (`/api/v1`). No business rules and no tenancy here:
 * callers scope their PromQL before it reaches this client (lib/metrics/promql-scope.ts).
 */
export function createPrometheusClient(config: PrometheusConfig) {
  const base = config.url.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  // Prometheus stops evaluating at its own `timeout=`; ours is a little later so its error
  // (which names the query's phase) normally wins over our plain "did not answer".
  const serverTimeout = `${Math.max(1, config.timeoutMs - 250)}ms`;

  async function once<T>(operation: string, path: string, params: URLSearchParams, method: "GET" | "POST", schema: z.ZodType<T>, signal?: AbortSignal): Promise<Annotated<T>> {
    const started = performance.now();
    const observe = (outcome: string, reason?: string) => {
      metrics().integrationDuration.observe({ system: "prometheus", operation, outcome }, (performance.now() - started) / 1000);
      if (reason) metrics().integrationErrors.inc({ system: "prometheus", operation, reason });
    };
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const headers: Record<string, string> = { accept: "application/json" };
    if (config.bearerToken) headers.authorization = `Bearer ${config.bearerToken}`;
    if (method === "POST") headers["content-type"] = "application/x-www-form-urlencoded";
    const query = params.toString();
    let response: Response;
    let text: string;
    try {
      response = await doFetch(method === "GET" && query ? `${base}${path}?${query}` : `${base}${path}`, {
        method,
        headers,
        body: method === "POST" ? query : undefined,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        cache: "no-store",
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      const timedOut = timeout.aborted || (error as Error).name === "TimeoutError";
      observe("error", timedOut ? "timeout" : "network");
      throw timedOut
        ? new PrometheusError("timeout", `Prometheus at ${base} did not answer within ${config.timeoutMs} ms`)
        : new PrometheusError("unavailable", `Prometheus at ${base} is unreachable`);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // proxies answer HTML or plain text; classified by status below
    }
    const envelope = envelopeSchema.safeParse(body);
    if (envelope.success && envelope.data.status === "error") {
      observe("error", envelope.data.errorType ?? `http_${response.status}`);
      throw errorFromEnvelope(envelope.data.errorType, envelope.data.error ?? "no message", response.status);
    }
    if (!response.ok || !envelope.success) {
      observe("error", `http_${response.status}`);
      if ([502, 503, 504].includes(response.status)) {
        throw new PrometheusError("unavailable", `Prometheus at ${base} is unavailable (HTTP ${response.status})`, response.status);
      }
      if (response.status === 401 || response.status === 403) {
        throw new PrometheusError("unexpected", `Prometheus at ${base} refused the portal's credentials (HTTP ${response.status})`, response.status);
      }
      throw new PrometheusError("unexpected", `Prometheus at ${base} answered HTTP ${response.status} without an API response`, response.status);
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      observe("error", "bad_response");
      throw new PrometheusError("unexpected", `Prometheus returned an unexpected response to ${operation}: ${data.error.issues[0]?.message ?? "invalid"}`, response.status);
    }
    observe("ok");
    return { data: data.data, warnings: envelope.data.warnings ?? [], infos: envelope.data.infos ?? [] };
  }

  /** Every call only reads, so one retry after a blip is safe; a timeout is not retried (it would only double the load). */
  async function call<T>(operation: string, path: string, params: URLSearchParams, method: "GET" | "POST", schema: z.ZodType<T>, signal?: AbortSignal): Promise<Annotated<T>> {
    try {
      return await once(operation, path, params, method, schema, signal);
    } catch (error) {
      if (!(error instanceof PrometheusError) || error.kind !== "unavailable" || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      return once(operation, path, params, method, schema, signal);
    }
  }

  const form = (entries: Array<[string, string | number | undefined]>) => {
    const params = new URLSearchParams();
    for (const [key, value] of entries) if (value !== undefined) params.append(key, String(value));
    return params;
  };

  return {
    url: base,
    /** Instant query; POSTed form-encoded so long expressions do not hit URL limits. */
    query: (expr: string, time?: number, signal?: AbortSignal): Promise<Annotated<QueryData>> =>
      call("query", "/api/v1/query", form([["query", expr], ["time", time], ["timeout", serverTimeout]]), "POST", queryDataSchema, signal),
    queryRange: (expr: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<Annotated<QueryData>> =>
      call("query_range", "/api/v1/query_range", form([["query", expr], ["start", start], ["end", end], ["step", step], ["timeout", serverTimeout]]), "POST", queryDataSchema, signal),
    series: (matchers: string[], start?: number, end?: number, signal?: AbortSignal) =>
      call("series", "/api/v1/series", form([...matchers.map((m): [string, string] => ["match[]", m]), ["start", start], ["end", end]]), "POST", seriesDataSchema, signal),
    labelValues: (label: string, matchers: string[] = [], start?: number, end?: number, signal?: AbortSignal) =>
      call("label_values", `/api/v1/label/${encodeURIComponent(label)}/values`, form([...matchers.map((m): [string, string] => ["match[]", m]), ["start", start], ["end", end]]), "GET", stringListSchema, signal),
    labels: (signal?: AbortSignal) => call("labels", "/api/v1/labels", new URLSearchParams(), "GET", stringListSchema, signal),
    alerts: (signal?: AbortSignal) => call("alerts", "/api/v1/alerts", new URLSearchParams(), "GET", alertsDataSchema, signal),
    /** Readiness: Prometheus's own readiness endpoint (not under /api/v1). */
    ready: async (signal?: AbortSignal) => {
      const headers: Record<string, string> = config.bearerToken ? { authorization: `Bearer ${config.bearerToken}` } : {};
      try {
        const response = await doFetch(`${base}/-/ready`, { headers, signal: signal ?? AbortSignal.timeout(Math.min(config.timeoutMs, 3000)), cache: "no-store" });
        if (!response.ok) throw new PrometheusError("unavailable", `Prometheus at ${base} is not ready (HTTP ${response.status})`, response.status);
      } catch (error) {
        if (error instanceof PrometheusError) throw error;
        throw new PrometheusError("unavailable", `Prometheus at ${base} is unreachable`);
      }
    },
  };
}

export type PrometheusClient = ReturnType<typeof createPrometheusClient>;

export function prometheusConfigFromEnv(): PrometheusConfig {
  const config = env();
  return { url: config.PROMETHEUS_URL, bearerToken: config.PROMETHEUS_BEARER_TOKEN, timeoutMs: config.PROMETHEUS_TIMEOUT_MS };
}

const holder = globalThis as typeof globalThis & { __portalPrometheus?: PrometheusClient };

/** The process's client, configured from the environment (one instance, so caches keyed by it work). */
export function prometheusFromEnv(): PrometheusClient {
  return (holder.__portalPrometheus ??= createPrometheusClient(prometheusConfigFromEnv()));
}
