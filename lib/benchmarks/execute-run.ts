import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/observability/log";
import { runnerConfigSchema } from "./config";
import { runBenchmark, type Progress } from "./runner";
import { appendStep, finishRun } from "./store";

/** What a queued portal run stores in `config`: the runner's configuration and the caller's limits. */
export const queuedRunConfigSchema = z.object({
  runner: runnerConfigSchema,
  limits: z.object({ maxDurationMs: z.number().int().positive(), maxConcurrency: z.number().int().positive() }),
});
export type QueuedRunConfig = z.input<typeof queuedRunConfigSchema>;

// A worker that died mid-run leaves its lock; another may take the run over after this long
// (a run is bounded by its maxDurationMs, so the lease is the longest allowed run plus slack).
const LEASE_SLACK_SECONDS = 120;
const PROGRESS_EVERY_MS = 500; // ≤ 2 writes per second
const CANCEL_POLL_MS = 1000;

/** Claims the oldest queued run with SKIP LOCKED: any number of workers, each run once. */
export async function claimQueuedRun(db: Db, workerId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE benchmark_runs SET status = 'running', locked_by = ${workerId}, locked_at = now(), started_at = now()
    WHERE id = (
      SELECT id FROM benchmark_runs
      WHERE status = 'queued' AND cancel_requested = false
         OR (status = 'running' AND source = 'portal' AND locked_at < now() - make_interval(secs => ${LEASE_SLACK_SECONDS})
             AND locked_at < now() - make_interval(secs => COALESCE((config->'limits'->>'maxDurationMs')::float / 1000, 0)))
      ORDER BY created_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id::text AS id`;
  return rows[0]?.id ?? null;
}

export interface ExecuteOptions {
  /** The endpoint's API key, resolved at run time (never stored with the run). */
  apiKey?: (runId: string) => Promise<string | undefined>;
  /**
   * The worker is shutting down: the run stops at once and goes back to the queue (its partial
   * steps are dropped when it is claimed again), so a deploy does not turn it into a failure.
   */
  shutdown?: AbortSignal;
}

/** Runs a claimed run to the end: steps stored as they finish, progress, cancellation. */
export async function executeRun(db: Db, runId: string, options: ExecuteOptions = {}): Promise<void> {
  const row = await db.benchmarkRun.findUniqueOrThrow({ where: { id: runId }, select: { config: true } });
  const parsed = queuedRunConfigSchema.safeParse(row.config);
  if (!parsed.success) {
    await finishRun(db, runId, { status: "failed", error: `invalid configuration: ${parsed.error.issues[0]?.message ?? "invalid"}`, overall: null });
    return;
  }
  // Old steps of a run taken over from a dead worker would mix two executions.
  await db.benchmarkStep.deleteMany({ where: { runId } });
  const cancel = new AbortController();
  const onShutdown = () => cancel.abort();
  if (options.shutdown?.aborted) onShutdown();
  options.shutdown?.addEventListener("abort", onShutdown, { once: true });
  let lastProgress = 0;
  let pending: Progress | null = null;
  const writeProgress = async (p: Progress) => {
    await db.benchmarkRun.update({ where: { id: runId }, data: { progress: p as unknown as Prisma.InputJsonValue } }).catch(() => undefined);
  };
  const poll = setInterval(() => {
    void db.benchmarkRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } }).then((r) => {
      if (r?.cancelRequested) cancel.abort();
    }, () => undefined);
    if (pending && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      void writeProgress(pending);
      pending = null;
    }
  }, Math.min(CANCEL_POLL_MS, PROGRESS_EVERY_MS));
  try {
    const outcome = await runBenchmark(parsed.data.runner, parsed.data.limits, {
      apiKey: await options.apiKey?.(runId),
      signal: cancel.signal,
      progressIntervalMs: PROGRESS_EVERY_MS,
      onProgress: (p) => (pending = p),
      onStep: (step) => appendStep(db, runId, step.result, step),
    });
    if (options.shutdown?.aborted) await requeueRun(db, runId);
    else await finishRun(db, runId, outcome);
  } catch (err) {
    logger.warn("benchmark run failed", { runId, error: (err as Error).message });
    await finishRun(db, runId, { status: "failed", error: (err as Error).message, overall: null });
  } finally {
    clearInterval(poll);
    options.shutdown?.removeEventListener("abort", onShutdown);
  }
}

/** Hands a run interrupted by shutdown back to the queue, unless its user cancelled it meanwhile. */
async function requeueRun(db: Db, runId: string): Promise<void> {
  await db.benchmarkRun.updateMany({
    where: { id: runId, status: "running", cancelRequested: false },
    data: { status: "queued", lockedBy: null, lockedAt: null, startedAt: null, progress: Prisma.DbNull },
  });
  await db.benchmarkRun.updateMany({
    where: { id: runId, status: "running", cancelRequested: true },
    data: { status: "cancelled", error: "cancelled", finishedAt: new Date(), lockedBy: null, lockedAt: null },
  });
}

/**
 * The worker's benchmark loop: one run at a time per worker process (a benchmark must own the
 * client machine's event loop to measure honestly). Returns stop().
 */
export function startBenchmarkLoop(getDb: () => Promise<Db>, pollMs: number, options: ExecuteOptions = {}): { stop: () => Promise<void> } {
  const workerId = `bench-${randomUUID()}`;
  const shutdown = new AbortController();
  const runOptions: ExecuteOptions = { ...options, shutdown: shutdown.signal };
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    try {
      const db = await getDb();
      const id = await claimQueuedRun(db, workerId);
      if (id) await executeRun(db, id, runOptions);
    } catch (err) {
      logger.warn("benchmark loop error", { error: (err as Error).message });
    }
    if (!stopped) timer = setTimeout(() => (current = tick()), pollMs);
  };
  let timer = setTimeout(() => (current = tick()), 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      shutdown.abort();
      await current;
    },
  };
}
