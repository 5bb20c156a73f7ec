import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Next.js may evaluate this module more than once per process (route bundles); the registry
// lives on globalThis so every copy records into the one that /metrics serves.
type Metrics = {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  integrationDuration: Histogram<"system" | "operation" | "outcome">;
  integrationErrors: Counter<"system" | "operation" | "reason">;
  promQueries: Counter<"source">;
};

const store = globalThis as typeof globalThis & { __portalMetrics?: Metrics };

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "portal_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "Portal HTTP request latency by route template.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    integrationDuration: new Histogram({
      name: "portal_integration_request_duration_seconds",
      help: "Latency of calls from the portal to external systems.",
      labelNames: ["system", "operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    integrationErrors: new Counter({
      name: "portal_integration_errors_total",
      help: "Failed calls from the portal to external systems.",
      labelNames: ["system", "operation", "reason"],
      registers: [registry],
    }),
    // One count per panel query by where its answer came from: "upstream" (sent to Prometheus),
    // "cache" (step-aligned cache) or "coalesced" (joined an identical query in flight). A
    // benchmark divides upstream by refreshes to see what coalescing saves.
    promQueries: new Counter({
      name: "portal_prometheus_queries_total",
      help: "PromQL queries the portal answered, by source (upstream, cache, coalesced).",
      labelNames: ["source"],
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  store.__portalMetrics ??= create();
  return store.__portalMetrics;
}
