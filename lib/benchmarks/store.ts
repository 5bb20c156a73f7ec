import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/http/errors";
import type { MeasuredStep } from "./measure";
import { stepResultSchema, type Distribution, type ImportedRun, type StepResult } from "./model";
import { packSamples } from "./samples";
import { canRunIn, scopeWhere, type BenchmarkScope } from "./scope";

export const RUN_SOURCES = ["portal", "cli", "import:vllm", "import:guidellm", "import:inference-perf", "reference"] as const;
export type RunSource = (typeof RUN_SOURCES)[number];
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatusValue = (typeof RUN_STATUSES)[number];

export interface NewRun {
  name: string;
  source: RunSource;
  status?: "queued" | "running" | "succeeded";
  tenantId: string | null;
  deployment?: { namespace: string; name: string } | null;
  changeRequestId?: string | null;
  endpointKind?: "gateway" | "direct" | null;
  model?: string | null;
  servingLayer?: string | null;
  gpuType?: string | null;
  gpuCount?: number | null;
  config: Record<string, unknown>;
}

type Writer = Pick<Db, "benchmarkRun" | "benchmarkStep" | "auditEvent">;

/** Creates a run (queued for the worker when started from the portal). Authorizes and audits. */
export async function createRun(db: Writer, principal: Principal | null, run: NewRun): Promise<{ id: string }> {
  if (principal && !canRunIn(principal, run.tenantId)) {
    // A member whose role is too low learns why (403); anyone else must not learn the tenant exists.
    const member = run.tenantId === null || principal.platformRoles.size > 0 || principal.tenantRoles.has(run.tenantId);
    throw new AppError(member ? "forbidden" : "not_found", "Not allowed to run benchmarks here");
  }
  const created = await db.benchmarkRun.create({
    data: {
      name: run.name, source: run.source, status: run.status ?? "queued", tenantId: run.tenantId,
      deploymentNs: run.deployment?.namespace ?? null, deploymentName: run.deployment?.name ?? null,
      changeRequestId: run.changeRequestId ?? null, endpointKind: run.endpointKind ?? null, model: run.model ?? null,
      servingLayer: run.servingLayer ?? null, gpuType: run.gpuType ?? null, gpuCount: run.gpuCount ?? null,
      config: run.config as Prisma.InputJsonValue, createdById: principal?.userId ?? null, createdByEmail: principal?.email ?? "system",
    },
    select: { id: true },
  });
  await recordAudit(db, principal, { action: "benchmark.create", outcome: "success", tenantId: run.tenantId, targetType: "benchmark_run", targetId: created.id, detail: { source: run.source, name: run.name } });
  return created;
}

const distColumns = (prefix: "ttft" | "itl" | "tpot" | "e2e", d: Distribution) => ({
  [`${prefix}Mean`]: d.mean, [`${prefix}P50`]: d.p50, [`${prefix}P90`]: d.p90, [`${prefix}P95`]: d.p95, [`${prefix}P99`]: d.p99,
});

function stepData(runId: string, s: StepResult, measured?: Pick<MeasuredStep, "samples" | "itlHistogram">): Prisma.BenchmarkStepUncheckedCreateInput {
  return {
    runId, index: s.index, loadKind: s.loadKind, load: s.load, achievedRate: s.achievedRate, durationS: s.durationS,
    completed: s.completed, failed: s.failed, inputTokens: s.inputTokens, outputTokens: s.outputTokens,
    requestThroughput: s.requestThroughput, outputThroughput: s.outputThroughput, totalThroughput: s.totalThroughput,
    goodput: s.goodput, errorRate: s.errorRate,
    ...distColumns("ttft", s.ttft), ...distColumns("itl", s.itl), ...distColumns("tpot", s.tpot), ...distColumns("e2e", s.e2e),
    schedDelayP50: s.schedulingDelayP50Ms, schedDelayP99: s.schedulingDelayP99Ms,
    windowStart: s.windowStartMs === null ? null : new Date(s.windowStartMs), windowEnd: s.windowEndMs === null ? null : new Date(s.windowEndMs),
    server: s.server ?? undefined, flags: s.flags,
    samples: measured ? packSamples(measured.samples) : null,
    itlHistogram: measured ? measured.itlHistogram : undefined,
  } as Prisma.BenchmarkStepUncheckedCreateInput;
}

/** Stores one finished step (the runner calls this between steps). */
export async function appendStep(db: Pick<Db, "benchmarkStep">, runId: string, step: StepResult, measured?: Pick<MeasuredStep, "samples" | "itlHistogram">): Promise<void> {
  await db.benchmarkStep.create({ data: stepData(runId, step, measured) });
}

export async function finishRun(db: Pick<Db, "benchmarkRun">, runId: string, outcome: { status: "succeeded" | "failed" | "cancelled"; error: string | null; overall: StepResult | null }): Promise<void> {
  await db.benchmarkRun.update({
    where: { id: runId },
    data: { status: outcome.status, error: outcome.error, overall: (outcome.overall ?? undefined) as Prisma.InputJsonValue | undefined, finishedAt: new Date(), lockedBy: null, lockedAt: null },
  });
}

export const runFilterSchemaKeys = ["tenantId", "model", "source", "status", "deploymentNs", "deploymentName"] as const;
export type RunFilters = Partial<Record<(typeof runFilterSchemaKeys)[number], string>> & { limit?: number };

const LIST_SELECT = {
  id: true, name: true, source: true, status: true, tenantId: true, deploymentNs: true, deploymentName: true, changeRequestId: true,
  endpointKind: true, model: true, servingLayer: true, gpuType: true, gpuCount: true, config: true, createdByEmail: true,
  createdAt: true, startedAt: true, finishedAt: true, error: true, progress: true,
} as const;

export async function listRuns(db: Db, scope: BenchmarkScope, filters: RunFilters = {}) {
  const { limit, ...where } = filters;
  return db.benchmarkRun.findMany({
    where: { AND: [scopeWhere(scope), where] },
    orderBy: { createdAt: "desc" },
    take: Math.min(limit ?? 100, 500),
    select: LIST_SELECT,
  });
}

type StepRow = Awaited<ReturnType<Db["benchmarkStep"]["findMany"]>>[number];

const dist = (r: StepRow, p: "ttft" | "itl" | "tpot" | "e2e"): Distribution => ({
  mean: r[`${p}Mean`], p50: r[`${p}P50`], p90: r[`${p}P90`], p95: r[`${p}P95`], p99: r[`${p}P99`],
});

/** A stored step back in the run model (zod-checked: what leaves the domain is what we promise). */
export function stepFromRow(r: StepRow): StepResult {
  return stepResultSchema.parse({
    index: r.index, loadKind: r.loadKind, load: r.load, achievedRate: r.achievedRate, durationS: r.durationS, completed: r.completed,
    failed: r.failed, inputTokens: r.inputTokens, outputTokens: r.outputTokens, requestThroughput: r.requestThroughput,
    outputThroughput: r.outputThroughput, totalThroughput: r.totalThroughput, goodput: r.goodput, errorRate: r.errorRate,
    ttft: dist(r, "ttft"), itl: dist(r, "itl"), tpot: dist(r, "tpot"), e2e: dist(r, "e2e"),
    schedulingDelayP50Ms: r.schedDelayP50, schedulingDelayP99Ms: r.schedDelayP99,
    windowStartMs: r.windowStart?.getTime() ?? null, windowEndMs: r.windowEnd?.getTime() ?? null, server: r.server ?? null, flags: r.flags,
  });
}

/** One run with its steps; "not yours" is the same 404 as "does not exist". */
export async function getRun(db: Db, scope: BenchmarkScope, id: string) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const run = uuid ? await db.benchmarkRun.findFirst({ where: { AND: [scopeWhere(scope), { id }] }, select: LIST_SELECT }) : null;
  if (!run) throw new AppError("not_found", "Benchmark run not found");
  const rows = await db.benchmarkStep.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
  return { ...run, steps: rows.map(stepFromRow) };
}
export type StoredRun = Awaited<ReturnType<typeof getRun>>;

/** Stores a parsed import in one transaction: a run and all its steps, or nothing. */
export async function importRun(db: Db, principal: Principal, imported: ImportedRun, target: { tenantId: string | null; deployment?: NewRun["deployment"]; gpuType?: string | null; gpuCount?: number | null; servingLayer?: string | null }): Promise<{ id: string }> {
  return db.$transaction(async (tx) => {
    const run = await createRun(tx, principal, {
      name: imported.name, source: imported.source, status: "succeeded", tenantId: target.tenantId, deployment: target.deployment ?? null,
      model: imported.model, gpuType: target.gpuType ?? null, gpuCount: target.gpuCount ?? null, servingLayer: target.servingLayer ?? null,
      config: imported.config,
    });
    for (const step of imported.steps) await tx.benchmarkStep.create({ data: stepData(run.id, step) });
    await tx.benchmarkRun.update({ where: { id: run.id }, data: { startedAt: imported.startedAt, finishedAt: new Date() } });
    return run;
  });
}

/** Asks the worker to stop a queued or running run (it polls this flag). */
export async function requestCancel(db: Db, principal: Principal, scope: BenchmarkScope, id: string): Promise<void> {
  const run = await getRun(db, scope, id);
  if (!canRunIn(principal, run.tenantId)) throw new AppError("forbidden", "Not allowed to cancel this run");
  await db.benchmarkRun.updateMany({ where: { id: run.id, status: { in: ["queued", "running"] } }, data: { cancelRequested: true } });
  await db.benchmarkRun.updateMany({ where: { id: run.id, status: "queued" }, data: { status: "cancelled", finishedAt: new Date() } });
  await recordAudit(db, principal, { action: "benchmark.cancel", outcome: "success", tenantId: run.tenantId, targetType: "benchmark_run", targetId: run.id });
}
