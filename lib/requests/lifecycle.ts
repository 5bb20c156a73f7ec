import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * `queued → submitted (PR open) → merged → syncing → live`, with `rejected`, `failed` and
 * `superseded` exits. "approved" is not a resting state: approval and merge happen in one step
 * pinned to the reviewed head, so a request is either still submitted or merged.
 */
export const REQUEST_STATUSES = ["queued", "submitted", "merged", "syncing", "live", "rejected", "failed", "superseded"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
  queued: ["submitted", "failed"],
  submitted: ["merged", "rejected", "superseded", "failed"],
  merged: ["syncing", "live", "failed"],
  syncing: ["live", "failed"],
  live: ["superseded"],
  rejected: [],
  failed: [],
  superseded: [],
};

export const OPEN_STATUSES: RequestStatus[] = ["queued", "submitted"];
export const IN_FLIGHT_STATUSES: RequestStatus[] = ["merged", "syncing"];

export function canMove(from: string, to: RequestStatus): boolean {
  // Own keys only: "constructor" or "toString" must not find Object.prototype's members.
  return Object.hasOwn(NEXT, from) && NEXT[from as RequestStatus].includes(to);
}

type Tx = Pick<Db, "changeRequest" | "requestEvent">;

/**
 * Moves a request only if it is still in `from` (a compare-and-set on the row), so concurrent
 * webhook, reconcile and user actions cannot apply the same transition twice.
 * Returns false when another actor already moved it.
 */
export async function transition(
  tx: Tx,
  request: { id: string; status: string },
  to: RequestStatus,
  event: { actor: string; message: string; detail?: Prisma.InputJsonObject },
  data: Prisma.ChangeRequestUpdateManyMutationInput = {},
): Promise<boolean> {
  if (!canMove(request.status, to)) return false;
  const { count } = await tx.changeRequest.updateMany({ where: { id: request.id, status: request.status }, data: { ...data, status: to } });
  if (count === 0) return false;
  await tx.requestEvent.create({
    data: { requestId: request.id, type: "status", fromStatus: request.status, toStatus: to, actorEmail: event.actor, message: event.message, detail: event.detail },
  });
  return true;
}

export async function note(tx: Tx, requestId: string, type: string, actor: string, message: string, detail?: Prisma.InputJsonObject) {
  await tx.requestEvent.create({ data: { requestId, type, actorEmail: actor, message, detail } });
}

type Live = { id: string; number: number; tenantId: string; createdAt: Date; files: unknown };

/**
 * Once a request is live, earlier live requests whose every file it has rewritten (or, for a
 * rollback, removed) no longer describe what runs: they become `superseded`, pointing at it.
 */
export async function supersedeEarlier(tx: Tx, request: Live): Promise<void> {
  const paths = new Set((request.files as { path: string }[]).map((f) => f.path));
  if (!paths.size) return;
  const earlier = await tx.changeRequest.findMany({
    where: { tenantId: request.tenantId, status: "live", createdAt: { lt: request.createdAt }, id: { not: request.id } },
    select: { id: true, status: true, files: true },
  });
  for (const previous of earlier) {
    const files = previous.files as { path: string }[];
    if (files.length && files.every((f) => paths.has(f.path))) {
      await transition(tx, previous, "superseded", { actor: "system:portal", message: `Superseded by #${request.number}` });
    }
  }
}
