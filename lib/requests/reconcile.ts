import type { Db } from "@/lib/db/client";
import type { FileChange } from "@/lib/integrations/github/platform-repo";
import { enqueue } from "@/lib/outbox/enqueue";
import { logger } from "@/lib/observability/log";
import type { Platform } from "./platform";
import { IN_FLIGHT_STATUSES, note, supersedeEarlier, transition } from "./lifecycle";
import { progressFromArgo } from "./argo-progress";
import { touchesLiteLLM } from "./team-spec";

type Request = NonNullable<Awaited<ReturnType<Db["changeRequest"]["findUnique"]>>>;
const GITHUB = "system:github";
const ARGO = "system:argocd";

/**
 * Brings a submitted request in line with its pull request on GitHub: merged or closed outside
 * the portal, or a head that moved (which voids any earlier review). Webhooks call it for one PR;
 * the periodic reconcile calls it for all, so a missed webhook only delays the update.
 */
export async function reconcilePull(db: Db, platform: Platform, request: Request): Promise<void> {
  if (request.status !== "submitted" || request.prNumber === null) return;
  const pull = await platform.repo.getPull(request.prNumber);
  if (pull.merged) {
    await db.$transaction(async (tx) => {
      const moved = await transition(tx, request, "merged", { actor: GITHUB, message: `Merged on GitHub as ${pull.mergeCommitSha?.slice(0, 7)}` }, { mergeSha: pull.mergeCommitSha });
      if (moved && touchesLiteLLM(request.files as FileChange[])) {
        await enqueue(tx, { kind: "request.apply-litellm", dedupeKey: `apply-litellm:${request.id}`, tenantId: request.tenantId, payload: { requestId: request.id } });
      }
    });
  } else if (pull.state === "closed") {
    await db.$transaction((tx) => transition(tx, request, "rejected", { actor: GITHUB, message: "Pull request closed on GitHub without merging" }));
  } else if (pull.headSha !== request.headSha) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.changeRequest.updateMany({ where: { id: request.id, headSha: request.headSha }, data: { headSha: pull.headSha } });
      if (count) await note(tx, request.id, "github", GITHUB, `Pull request head changed to ${pull.headSha.slice(0, 7)}; it must be reviewed again`);
    });
  }
}

/** Follows a merged request through Argo CD until it is live or failed. */
export async function trackArgo(db: Db, platform: Platform, request: Request): Promise<void> {
  if (!request.argoApp || !request.mergeSha || !IN_FLIGHT_STATUSES.includes(request.status as never)) return;
  const app = await platform.argo.getApplication(request.argoApp);
  const contains = app?.revision ? await platform.repo.contains(app.revision, request.mergeSha) : false;
  const progress = progressFromArgo(app, contains);
  if (progress.status === "syncing") {
    if (request.status === "merged") await db.$transaction((tx) => transition(tx, request, "syncing", { actor: ARGO, message: progress.message }));
    return;
  }
  const to = progress.status;
  await db.$transaction(async (tx) => {
    const moved = await transition(
      tx,
      request,
      to,
      { actor: ARGO, message: progress.message, detail: { revision: app?.revision ?? null } },
      { syncedRevision: app?.revision ?? null, failureReason: to === "failed" ? progress.message : null },
    );
    if (moved && to === "live") await supersedeEarlier(tx, request);
  });
}

/** The periodic pass of the worker over every request that is waiting on someone else. */
export async function reconcileAll(db: Db, platform: Platform): Promise<void> {
  const waiting = await db.changeRequest.findMany({ where: { status: { in: ["submitted", "merged", "syncing"] } }, orderBy: { createdAt: "asc" }, take: 200 });
  for (const request of waiting) {
    try {
      if (request.status === "submitted") await reconcilePull(db, platform, request);
      else await trackArgo(db, platform, request);
    } catch (error) {
      logger.warn("request reconcile failed", { requestId: request.id, error });
    }
  }
}
