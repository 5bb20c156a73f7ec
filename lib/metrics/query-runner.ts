import type { Annotated, PrometheusClient } from "@/lib/integrations/prometheus/client";
import type { QueryData } from "@/lib/integrations/prometheus/schemas";
import { metrics } from "@/lib/observability/metrics";

export interface QueryRunnerOptions {
  /** Upstream queries in flight at once; more wait their turn (default 8). */
  maxConcurrent?: number;
  /** Longest a result is reused (default 15 s); shorter for fine steps (TTL = min(step, this)). */
  maxTtlMs?: number;
  /** Results kept; the oldest go first (default 500). */
  maxEntries?: number;
  now?: () => number;
}

type Entry = { expires: number; value: Annotated<QueryData> };

/**
 * Sits between the dashboards and Prometheus. Ten viewers of the same dashboard, or one
 * dashboard whose panels share a query, cost one upstream request: identical queries in flight
 * share one promise (single flight), and answers are reused briefly. Because start/end are
 * aligned to the step, "the last hour" asked a few seconds apart is the same key. A semaphore
 * keeps a dashboard of 17 panels from opening 17 connections at once.
 */
export function createQueryRunner(client: Pick<PrometheusClient, "query" | "queryRange">, options: QueryRunnerOptions = {}) {
  const maxConcurrent = options.maxConcurrent ?? 8;
  const maxTtlMs = options.maxTtlMs ?? 15_000;
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Annotated<QueryData>>>();
  let active = 0;
  const waiting: Array<() => void> = [];

  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (active >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  function run(key: string, ttlMs: number, upstream: () => Promise<Annotated<QueryData>>, signal?: AbortSignal): Promise<Annotated<QueryData>> {
    const hit = cache.get(key);
    if (hit && hit.expires > now()) {
      metrics().promQueries.inc({ source: "cache" });
      return Promise.resolve(hit.value);
    }
    if (hit) cache.delete(key);
    let shared = inFlight.get(key);
    if (shared) metrics().promQueries.inc({ source: "coalesced" });
    else {
      metrics().promQueries.inc({ source: "upstream" });
      // The shared request is not tied to any one caller's signal: one viewer navigating away
      // must not fail the others waiting on the same answer.
      shared = limited(upstream)
        .then((value) => {
          cache.set(key, { expires: now() + ttlMs, value });
          while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    if (!signal) return shared;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  return {
    queryRange: (expr: string, start: number, end: number, step: number, signal?: AbortSignal) =>
      run(`range\n${expr}\n${start}\n${end}\n${step}`, Math.min(step * 1000, maxTtlMs), () => client.queryRange(expr, start, end, step), signal),
    query: (expr: string, time: number, signal?: AbortSignal) =>
      run(`instant\n${expr}\n${time}`, maxTtlMs, () => client.query(expr, time), signal),
    /** Entries currently cached (for tests and the benchmark). */
    size: () => cache.size,
  };
}

export type QueryRunner = ReturnType<typeof createQueryRunner>;
