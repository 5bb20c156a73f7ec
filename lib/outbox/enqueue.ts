import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export type JobKind = "litellm.team.sync" | "litellm.key.abandon" | "github.pr.open" | "request.apply-litellm" | "cost.budget-alert.deliver";

type Tx = Pick<Db, "outboxJob">;

/**
 * Records a side effect to run after the surrounding transaction commits. The dedupe key makes
 * enqueueing idempotent: the same intent twice is one job.
 */
export async function enqueue(
  tx: Tx,
  job: { kind: JobKind; dedupeKey: string; payload: Prisma.InputJsonObject; tenantId?: string },
): Promise<void> {
  await tx.outboxJob.upsert({
    where: { dedupeKey: job.dedupeKey },
    create: { kind: job.kind, dedupeKey: job.dedupeKey, payload: job.payload, tenantId: job.tenantId ?? null },
    update: {},
  });
}
