import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import { findGpu } from "@/lib/catalog/gpus";
import { DEFAULT_ITL_SLO_MS, DEFAULT_TTFT_SLO_MS } from "@/lib/metrics/catalog";
import { costPerMillionAtSlo, regressions, type CostAtSlo, type Regression } from "../analysis";
import { sloSchema, type Slo } from "../model";
import { benchmarkScope, scopeWhere } from "../scope";
import { getRun, type StoredRun } from "../store";

export type CostView = (CostAtSlo & { gpuHourlyCents: number; gpuType: string; gpuCount: number }) | { reason: string };

/** The SLO the run was measured against, else the dashboards' defaults (same numbers everywhere). */
export function runSlo(config: unknown): { slo: Slo; fromRun: boolean } {
  const raw = (config as { runner?: { slo?: unknown }; slo?: unknown } | null)?.runner?.slo ?? (config as { slo?: unknown } | null)?.slo;
  const parsed = sloSchema.safeParse(raw);
  if (parsed.success && (parsed.data.ttftMs !== undefined || parsed.data.itlMs !== undefined)) return { slo: parsed.data, fromRun: true };
  return { slo: { ttftMs: DEFAULT_TTFT_SLO_MS, itlMs: DEFAULT_ITL_SLO_MS }, fromRun: false };
}

/**
 * $ per million output tokens at SLO: the catalog's GPU $/hour × the GPUs the run measured ÷
 * output tokens/s at the highest load meeting the SLO. Without known hardware there is no
 * honest figure, so the reason is shown instead of a guess.
 */
export function costView(run: Pick<StoredRun, "steps" | "gpuType" | "gpuCount">, slo: Slo): CostView {
  const gpu = run.gpuType ? findGpu(run.gpuType) : undefined;
  if (!gpu || !run.gpuCount) return { reason: "GPU type and count of the measured deployment are unknown." };
  const gpuHourlyCents = gpu.hourlyPriceCents * run.gpuCount;
  const cost = costPerMillionAtSlo(run, gpuHourlyCents, slo);
  if (!cost) return { reason: "No step met the SLO." };
  return { ...cost, gpuHourlyCents, gpuType: gpu.id, gpuCount: run.gpuCount };
}

/**
 * The baseline of a run: the previous successful run of the same deployment with the same load
 * kind (so "the same load" means something), within what the reader may see. A reference or
 * imported run has no deployment and so no baseline; it can still be compared by hand.
 */
export async function findBaseline(db: Db, principal: Principal, run: StoredRun): Promise<StoredRun | null> {
  if (!run.deploymentNs || !run.deploymentName) return null;
  const loadKind = run.steps[0]?.loadKind;
  const previous = await db.benchmarkRun.findMany({
    where: {
      AND: [scopeWhere(benchmarkScope(principal)), { tenantId: run.tenantId, deploymentNs: run.deploymentNs, deploymentName: run.deploymentName, status: "succeeded", createdAt: { lt: run.createdAt } }],
    },
    orderBy: { createdAt: "desc" },
    take: 5,
    select: { id: true },
  });
  for (const { id } of previous) {
    const candidate = await getRun(db, benchmarkScope(principal), id);
    if (candidate.steps.length > 0 && (!loadKind || candidate.steps[0]?.loadKind === loadKind)) return candidate;
  }
  return null;
}

export type RunDetail = {
  run: StoredRun;
  slo: Slo;
  sloFromRun: boolean;
  cost: CostView;
  baseline: { id: string; name: string; createdAt: Date } | null;
  regressions: Regression[];
  changeRequest: { id: string; number: number; title: string; prUrl: string | null; href: string | null } | null;
  mayCancel: boolean;
};

/** Everything the run page shows beyond the live progress, read through the reader's scope. */
export async function getRunDetail(db: Db, principal: Principal, id: string): Promise<RunDetail> {
  const run = await getRun(db, benchmarkScope(principal), id);
  const { slo, fromRun } = runSlo(run.config);
  const baseline = run.status === "succeeded" ? await findBaseline(db, principal, run) : null;
  const request = run.changeRequestId && run.tenantId
    ? await db.changeRequest.findFirst({ where: { id: run.changeRequestId, tenantId: run.tenantId }, select: { id: true, number: true, title: true, prUrl: true } })
    : null;
  const mayOpen = run.tenantId ? can(principal, "request.view", { tenantId: run.tenantId }) : false;
  return {
    run, slo, sloFromRun: fromRun, cost: costView(run, slo),
    baseline: baseline ? { id: baseline.id, name: baseline.name, createdAt: baseline.createdAt } : null,
    regressions: baseline ? regressions(run, baseline) : [],
    changeRequest: request ? { ...request, href: mayOpen ? `/requests/${request.id}` : null } : null,
    mayCancel: (run.status === "queued" || run.status === "running") && can(principal, "benchmark.run", run.tenantId ? { tenantId: run.tenantId } : {}),
  };
}
