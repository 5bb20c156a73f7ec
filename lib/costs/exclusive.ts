import type { Db } from "@/lib/db/client";

/**
 * Runs `work` in at most one worker at a time, across replicas, or skips it.
 *
 * - "postgres": `pg_try_advisory_xact_lock` inside an interactive transaction that stays open on
 *   its own pooled connection while `work` runs on others; the lock goes when the transaction ends
 *   (commit, rollback, timeout, or a dead process whose connection PostgreSQL closes), so a
 *   crashed replica can never leave it held. A session-level lock would be wrong over a pool: the
 *   unlock can land on another connection and the lock would leak with the first.
 * - "single-process": embedded PGlite is one connection owned by one process (a query outside an
 *   open transaction waits for it, so the transaction trick would deadlock), and no other replica
 *   can open it: an in-process flag is the whole story.
 */
export type Exclusivity = "postgres" | "single-process";

/** Lock ids are global to the PostgreSQL database: one constant per kind of periodic work. */
export const COST_TICK_LOCK = 0x636f7374n; // "cost"

const running = new Set<bigint>();

export async function runExclusive<T>(db: Db, lockId: bigint, mode: Exclusivity, work: () => Promise<T>, opts: { maxMs?: number } = {}): Promise<{ ran: true; value: T } | { ran: false }> {
  if (mode === "single-process") {
    if (running.has(lockId)) return { ran: false };
    running.add(lockId);
    try {
      return { ran: true, value: await work() };
    } finally {
      running.delete(lockId);
    }
  }
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${lockId}) AS locked`;
      if (!row?.locked) return { ran: false as const };
      return { ran: true as const, value: await work() };
    },
    // Past maxMs Prisma rolls the holder back and another replica may start: the work is
    // idempotent (upserts, unique alerts), so overlap costs only duplicate upstream queries.
    { maxWait: 10_000, timeout: opts.maxMs ?? 15 * 60_000 },
  );
}
