import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { recordAudit } from "@/lib/audit/record-audit";
import type { PlatformRepo, FileChange } from "@/lib/integrations/github/platform-repo";
import { pullRequestBody, type ChangeSummary } from "./pr-body";
import { transition } from "./lifecycle";

const ACTOR = "system:github";

/**
 * Outbox handler: opens the request's pull request. Safe to run any number of times — the
 * branch is deterministic and an open PR for it is adopted — so a crash between "PR created"
 * and "row updated" ends with one branch and one PR.
 */
export async function openPullRequest(db: Db, repo: PlatformRepo, requestId: string): Promise<void> {
  const request = await db.changeRequest.findUnique({ where: { id: requestId } });
  if (!request || request.status !== "queued") return;
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
