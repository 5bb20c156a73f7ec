import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { litellmFromEnv, type LiteLLMClient } from "@/lib/integrations/litellm/client";
import { logger } from "@/lib/observability/log";
import { syncTeam } from "@/lib/tenants/sync-team";
import { abandonKey, sweepStalePendingKeys } from "@/lib/keys/abandon-key";
import { openPullRequest } from "@/lib/requests/open-pull-request";
import { applyToLiteLLM } from "@/lib/requests/apply-litellm";
import { reconcileAll } from "@/lib/requests/reconcile";
import { platformFromEnv, type Platform } from "@/lib/requests/platform";
import { deliverBudgetAlert } from "@/lib/costs/budget-alerts";
import { costTick, costTickDepsFromEnv } from "@/lib/costs/cost-tick";
import { startBenchmarkLoop } from "@/lib/benchmarks/execute-run";
import { gatewayKeyHooks } from "@/lib/benchmarks/pages/gateway-key";
import { env } from "@/lib/config/env";
import type { JobKind } from "./enqueue";

type Job = { id: string; kind: string; payload: Record<string, unknown>; attempts: number };
/** `platform` is resolved lazily: a portal without GitHub configured still runs its key jobs. */
export type Deps = { db: Db; litellm: LiteLLMClient; platform: () => Platform };

const HANDLERS: Record<JobKind, (deps: Deps, payload: Record<string, unknown>) => Promise<void>> = {
  "litellm.team.sync": ({ db, litellm }, p) => syncTeam(db, litellm, String(p.tenantId)),
  "litellm.key.abandon": ({ db, litellm }, p) => abandonKey(db, litellm, String(p.keyId)),
  "github.pr.open": ({ db, platform }, p) => openPullRequest(db, platform().repo, String(p.requestId)),
  "request.apply-litellm": ({ db, litellm }, p) => applyToLiteLLM(db, litellm, String(p.requestId)),
  "cost.budget-alert.deliver": ({ db }, p) => deliverBudgetAlert(db, String(p.alertId)),
};

// Snapshots only ever add closed days, so a slow cadence is enough; alerts ride on the same tick
// (lib/costs/cost-tick.ts: one replica at a time, under a PostgreSQL advisory lock).
const COST_TICK_MS = 10 * 60_000;

const BATCH = 10;
// A claimed job whose worker died is taken over after this long.
const LEASE_SECONDS = 60;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Claims due jobs with FOR UPDATE SKIP LOCKED so any number of workers (portal replicas or
 * `npm run worker`) share the queue without running a job twice at the same time.
 */
async function claim(db: Db, workerId: string): Promise<Job[]> {
  return db.$queryRaw<Job[]>`
    UPDATE outbox_jobs SET locked_by = ${workerId}, locked_at = now(), attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox_jobs
      WHERE status = 'pending' AND run_after <= now()
        AND (locked_at IS NULL OR locked_at < now() - make_interval(secs => ${LEASE_SECONDS}))
      ORDER BY run_after
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, kind, payload, attempts`;
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, attempts - 1));
}

async function runJob(deps: Deps, job: Job): Promise<void> {
  const handler = HANDLERS[job.kind as JobKind];
  try {
    if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
    await handler(deps, job.payload);
    await deps.db.outboxJob.update({
      where: { id: job.id },
      data: { status: "done", doneAt: new Date(), lockedBy: null, lockedAt: null, lastError: null },
    });
  } catch (error) {
    const message = (error as Error).message;
    logger.warn("outbox job failed, will retry", { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
    // Retried until done, with a capped backoff; attempts and the last error stay visible.
    await deps.db.outboxJob.update({
      where: { id: job.id },
      data: { lockedBy: null, lockedAt: null, lastError: message.slice(0, 2000), runAfter: new Date(Date.now() + backoffMs(job.attempts)) },
    });
  }
}

export async function drainOnce(deps: Deps, workerId = randomUUID()): Promise<number> {
  await sweepStalePendingKeys(deps.db);
  const jobs = await claim(deps.db, workerId);
  for (const job of jobs) await runJob(deps, job);
  return jobs.length;
}

type WorkerHandle = { stop: () => Promise<void>; nudge: () => void };
const holder = globalThis as typeof globalThis & { __portalWorker?: WorkerHandle };

export interface WorkerOptions {
  /** Run queued benchmarks in this process; default BENCHMARK_WORKER (see lib/config/env.ts). */
  benchmarks?: boolean;
}

/**
 * Loops per process: the outbox drain, woken at once by `nudge()` (a nudge that arrives
 * mid-drain makes it go round again), and the slower reconcile with GitHub and Argo CD, kept
 * apart so that a long reconcile never delays a freshly queued pull request; cost snapshots;
 * and, unless disabled, the benchmark loop (one run at a time, handed back to the queue on stop).
 */
export function startWorker(getDb: () => Promise<Db>, pollMs: number, reconcileMs = 3_000, options: WorkerOptions = {}): WorkerHandle {
  if (holder.__portalWorker) return holder.__portalWorker;
  const workerId = randomUUID();
  const litellm = litellmFromEnv();
  let stopped = false;

  function loop(name: string, everyMs: number, work: (db: Db) => Promise<void>) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let again = false;
    const tick = () => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      running = (async () => {
        try {
          do {
            again = false;
            await work(await getDb());
          } while (again && !stopped);
        } catch (error) {
          logger.error(`${name} tick failed`, { error });
        } finally {
          running = undefined;
          if (!stopped) timer = setTimeout(tick, everyMs);
        }
      })();
    };
    timer = setTimeout(tick, 0);
    return { tick, stop: async () => (clearTimeout(timer), await running) };
  }

  const drain = loop("outbox worker", pollMs, async (db) => {
    const deps: Deps = { db, litellm, platform: platformFromEnv };
    while (!stopped && (await drainOnce(deps, workerId)) === BATCH);
  });
  const reconcile = loop("request reconcile", reconcileMs, (db) => reconcileAll(db, platformFromEnv()));
  const costs = loop("cost snapshots", COST_TICK_MS, async (db) => void (await costTick(costTickDepsFromEnv(db, litellm))));
  const benchmarks = (options.benchmarks ?? env().BENCHMARK_WORKER) ? startBenchmarkLoop(getDb, pollMs, { apiKey: gatewayKeyHooks(getDb, litellm).apiKey }) : null;

  holder.__portalWorker = {
    nudge: () => setImmediate(drain.tick),
    stop: async () => {
      stopped = true;
      await Promise.all([drain.stop(), reconcile.stop(), costs.stop(), benchmarks?.stop()]);
      holder.__portalWorker = undefined;
    },
  };
  return holder.__portalWorker;
}

/** Wakes this process's worker, if it runs one; other replicas pick the job up on their poll. */
export function nudgeWorker(): void {
  holder.__portalWorker?.nudge();
}
