import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/errors";
import { enqueue } from "@/lib/outbox/enqueue";
import type { Prisma } from "@/lib/db/generated/client";
import { note } from "./lifecycle";
import { prepareChange, type PreparedChange } from "./prepare-change";
import type { PlatformRepo } from "@/lib/integrations/github/platform-repo";

/**
 * Accepts a change request: validates and renders it, stores it as `queued` with its files, and
 * queues the pull request. The PR is opened by the outbox (right away, or when GitHub is back),
 * so a slow or down GitHub never loses or duplicates a request.
 */
export async function submitRequest(db: Db, repo: PlatformRepo, principal: Principal, raw: unknown) {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const tenantId = String((raw as { tenant?: unknown } | null)?.tenant ?? "");
  if (kind === "tenant-onboarding") {
    await assertAllowed(db, principal, "tenant.onboard");
  } else {
    await assertAllowed(db, principal, "request.create", { tenantId }, { type: "tenant", id: tenantId });
  }
  const change = await prepareChange(db, repo, raw);
  return createQueuedRequest(db, principal, change);
}

export async function createQueuedRequest(db: Db, principal: Principal, change: PreparedChange, rollbackOfId?: string) {
  const request = await db.$transaction(async (tx) => {
    if (change.kind === "tenant-onboarding") {
      const open = await tx.changeRequest.count({ where: { tenantId: change.tenantId, kind: "tenant-onboarding", status: { in: ["queued", "submitted", "merged", "syncing"] } } });
      if (open) throw new AppError("conflict", "An onboarding request for this tenant is already in progress", { tenant: ["Onboarding already requested"] });
    }
    const id = crypto.randomUUID();
    const created = await tx.changeRequest.create({
      data: {
        id,
        tenantId: change.tenantId,
        kind: change.kind,
        status: "queued",
        title: change.title,
        requesterId: principal.userId,
        requesterEmail: principal.email,
        payload: change.payload as Prisma.InputJsonObject,
        files: change.files,
        summary: change.summary as unknown as Prisma.InputJsonObject,
        costDeltaCents: change.summary.costDeltaCents ?? null,
        // One deterministic branch per request: retries find and adopt it.
        branch: `portal/${change.tenantId}/${change.kind}-${id.slice(0, 8)}`,
        argoApp: change.argoApp,
        rollbackOfId: rollbackOfId ?? null,
      },
    });
    await note(tx, created.id, "status", principal.email, "Request submitted; opening the pull request");
    await enqueue(tx, { kind: "github.pr.open", dedupeKey: `pr-open:${created.id}`, tenantId: change.tenantId, payload: { requestId: created.id } });
    await recordAudit(tx, principal, {
      action: "request.submit",
      outcome: "success",
      tenantId: change.tenantId,
      targetType: "request",
      targetId: created.id,
      detail: { kind: change.kind, files: change.files.map((f: { path: string }) => f.path) },
    });
    return created;
  });
  return request;
}
