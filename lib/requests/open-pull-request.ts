import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { recordAudit } from "@/lib/audit/record-audit";
import type { PlatformRepo, FileChange } from "@/lib/integrations/github/platform-repo";
import { pullRequestBody, type ChangeSummary } from "./pr-body";
import { transition } from "./lifecycle";
import { AppError } from "@/lib/http/errors";
import { gitopsRequest } from "@/lib/gitops/requests";
import type { Prisma } from "@/lib/db/generated/client";
import { renderAgainstRepo } from "./prepare-change";

const ACTOR = "system:github";

type Row = NonNullable<Awaited<ReturnType<Db["changeRequest"]["findUnique"]>>>;

/**
 * Renders again against main as it is now (it may have moved since submission, or GitHub was
 * down then). A request that no longer renders — say its tenant's team file vanished — fails
 * with the reason instead of opening a PR that cannot be right.
 */
async function rerender(db: Db, repo: PlatformRepo, request: Row): Promise<Row | null> {
  const parsed = gitopsRequest.safeParse(request.payload);
  try {
    if (!parsed.success) throw new AppError("validation", "The stored request no longer matches the request schema");
    const change = await renderAgainstRepo(db, repo, parsed.data);
    return db.changeRequest.update({
      where: { id: request.id },
      data: { files: change.files, summary: change.summary as unknown as Prisma.InputJsonObject, title: change.title, costDeltaCents: change.summary.costDeltaCents ?? null },
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error; // GitHub trouble: the outbox retries
    const reason = error.fields ? `${error.message}: ${JSON.stringify(error.fields)}` : error.message;
    await db.$transaction((tx) => transition(tx, request, "failed", { actor: ACTOR, message: `Could not render: ${reason}` }, { failureReason: reason }));
    return null;
  }
}

/**
 * Outbox handler: opens the request's pull request. Safe to run any number of times — the
 * branch is deterministic and an open PR for it is adopted — so a crash between "PR created"
 * and "row updated" ends with one branch and one PR.
 */
export async function openPullRequest(db: Db, repo: PlatformRepo, requestId: string): Promise<void> {
  const found = await db.changeRequest.findUnique({ where: { id: requestId } });
  if (!found || found.status !== "queued") return;
  const request = found.kind === "rollback" ? found : await rerender(db, repo, found);
  if (!request) return;
  const files = request.files as FileChange[];
  const summary = request.summary as ChangeSummary;
  const pull = await repo.openPull({
    branch: request.branch,
    title: `[portal #${request.number}] ${request.title}`,
    commitMessage: `${request.title}\n\nInference Portal request #${request.number} by ${request.requesterEmail}`,
    changes: files,
    body: pullRequestBody({
      requestNumber: request.number,
      tenantId: request.tenantId,
      requester: request.requesterEmail,
      kind: request.kind,
      summary,
      portalUrl: env().PORTAL_URL,
      requestPath: `/requests/${request.id}`,
      files,
    }),
  });
  await db.$transaction(async (tx) => {
    const moved = await transition(
      tx,
      request,
      "submitted",
      { actor: ACTOR, message: `Pull request #${pull.number} opened`, detail: { prUrl: pull.url, headSha: pull.headSha } },
      { prNumber: pull.number, prUrl: pull.url, headSha: pull.headSha },
    );
    if (moved) {
      await recordAudit(tx, null, { action: "request.pr-open", outcome: "success", tenantId: request.tenantId, targetType: "request", targetId: request.id, detail: { pr: pull.number } });
    }
  });
}
