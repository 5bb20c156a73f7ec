import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { tenantMetricsScope, platformMetricsScope } from "@/lib/dashboards/scope";
import { runDashboard } from "@/lib/metrics/run-panel";
import type { PanelResult, TimeRange } from "@/lib/metrics/types";
import { getRun } from "../store";
import { benchmarkScope } from "../scope";

/** The server-side signals drawn under a run's latency curves, in this order. */
export const SIGNAL_PANELS = ["waiting", "kv-cache", "running", "gpu-util", "replicas"] as const;

// A little before and after the run, so the curves show the idle level the load rose from.
const PAD_SECONDS = 30;
// Prometheus never sees a window longer than the longest run allowed plus a margin.
const MAX_WINDOW_SECONDS = 2 * 3600;

/** The run's window from its steps (server-side clock), else from when it started and ended. */
export function runWindow(run: { steps: { windowStartMs: number | null; windowEndMs: number | null }[]; startedAt: Date | null; finishedAt: Date | null }, nowMs = Date.now()): TimeRange | null {
  const starts = run.steps.map((s) => s.windowStartMs).filter((v): v is number => v !== null);
  const ends = run.steps.map((s) => s.windowEndMs).filter((v): v is number => v !== null);
  const startMs = starts.length ? Math.min(...starts) : run.startedAt?.getTime();
  const endMs = ends.length ? Math.max(...ends) : (run.finishedAt?.getTime() ?? (run.startedAt ? nowMs : undefined));
  if (startMs === undefined || endMs === undefined || endMs < startMs) return null;
  const start = Math.floor(startMs / 1000) - PAD_SECONDS;
  const end = Math.min(Math.ceil(endMs / 1000) + PAD_SECONDS, start + MAX_WINDOW_SECONDS);
  return { start, end };
}

export type RunSignals = { range: TimeRange | null; panels: PanelResult[]; reason?: string };

/**
 * Queue depth, KV-cache, running requests, GPU utilization and replicas of the run's deployment
 * over the run's window. The run is read through the benchmark scope first (404 when not
 * visible), then the Prometheus scope is the run's own tenant, authorized again for this
 * principal: a run never widens what its reader may query.
 */
export async function runSignals(db: Db, principal: Principal, id: string, widthPx = 900): Promise<RunSignals> {
  const run = await getRun(db, benchmarkScope(principal), id);
  if (!run.deploymentNs || !run.deploymentName) return { range: null, panels: [], reason: "This run did not target a platform deployment." };
  const range = runWindow(run);
  if (!range) return { range: null, panels: [], reason: "The run has not started yet." };
  const scope = run.tenantId ? await tenantMetricsScope(db, principal, run.tenantId) : await platformMetricsScope(db, principal);
  if (scope.kind === "tenant" && !scope.namespaces.includes(run.deploymentNs)) return { range, panels: [], reason: "The deployment is outside the run's tenant." };
  const panels = await runDashboard({
    dashboard: "model", scope, params: { namespace: run.deploymentNs, deployment: run.deploymentName }, range, widthPx, panels: [...SIGNAL_PANELS],
  });
  return { range, panels };
}
