import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, validationError } from "@/lib/http/errors";
import { GitHubRefusal, type FileChange } from "@/lib/integrations/github/platform-repo";
import type { PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { enqueue } from "@/lib/outbox/enqueue";
import { getRequestOrThrow } from "./get-request-or-throw";
import { note, transition } from "./lifecycle";
import { touchesLiteLLM } from "./team-spec";

export const approveInput = z.object({
  headSha: z.string().regex(/^[0-9a-f]{40}$/, "Not a commit SHA"),
  reason: z.string().trim().min(1, "Say why you approve").max(1000),
});
export const rejectInput = z.object({ reason: z.string().trim().min(1, "Say why you reject").max(1000) });

async function loadForDecision(db: Db, principal: Principal, requestId: string) {
  const request = await getRequestOrThrow(db, principal, requestId, "request.approve");
  if (request.requesterId === principal.userId) {
    await recordAudit(db, principal, { action: "request.decide", outcome: "denied", tenantId: request.tenantId, targetType: "request", targetId: request.id, detail: { reason: "own request" } });
    throw new AppError("forbidden", "You cannot approve or reject your own request");
  }
  if (request.status !== "submitted" || request.prNumber === null || request.headSha === null) {
    throw new AppError("conflict", `This request is ${request.status}; only requests with an open pull request can be decided`);
  }
  return { ...request, prNumber: request.prNumber, headSha: request.headSha };
}

/**
 * Approves on GitHub and squash-merges at the head SHA the approver saw. If the branch moved
 * since, GitHub refuses and so does the portal: the approver must look again.
 */
export async function approveRequest(db: Db, repo: PlatformRepo, principal: Principal, requestId: string, raw: unknown) {
  const request = await loadForDecision(db, principal, requestId);
  const parsed = approveInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const { headSha, reason } = parsed.data;
  if (headSha !== request.headSha) {
    throw new AppError("conflict", "The pull request changed since you reviewed it. Reload the request and review it again.");
  }
  let mergeSha: string;
  try {
    mergeSha = await repo.approveAndMerge(request.prNumber, headSha, {
      body: `Approved in Inference Portal by ${principal.email}: ${reason}`,
      title: `${request.title} (#${request.prNumber})`,
      message: `Inference Portal request #${request.number}, approved by ${principal.email}.\n\n${reason}`,
    });
  } catch (error) {
    if (!(error instanceof GitHubRefusal)) throw error;
    await db.$transaction(async (tx) => {
      await note(tx, request.id, "github", principal.email, `GitHub refused the merge: ${error.message}`, { status: error.status });
      await recordAudit(tx, principal, { action: "request.approve", outcome: "failure", tenantId: request.tenantId, targetType: "request", targetId: request.id, detail: { github: error.message } });
    });
    throw new AppError("conflict", `GitHub refused the merge: ${error.message}`);
  }
  await db.$transaction(async (tx) => {
    await transition(
      tx,
      request,
      "merged",
      { actor: principal.email, message: `Approved and merged as ${mergeSha.slice(0, 7)}: ${reason}`, detail: { mergeSha } },
      { mergeSha, decidedById: principal.userId, decisionReason: reason },
    );
    if (touchesLiteLLM(request.files as FileChange[])) {
      await enqueue(tx, { kind: "request.apply-litellm", dedupeKey: `apply-litellm:${request.id}`, tenantId: request.tenantId, payload: { requestId: request.id } });
    }
    await recordAudit(tx, principal, { action: "request.approve", outcome: "success", tenantId: request.tenantId, targetType: "request", targetId: request.id, detail: { mergeSha, reason } });
  });
  return { mergeSha };
}

/** Rejects: a comment with the reason on the PR, then closes it. */
export async function rejectRequest(db: Db, repo: PlatformRepo, principal: Principal, requestId: string, raw: unknown) {
  const request = await loadForDecision(db, principal, requestId);
  const parsed = rejectInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  await repo.closeWithComment(request.prNumber, `Rejected in Inference Portal by ${principal.email}: ${parsed.data.reason}`);
  await db.$transaction(async (tx) => {
    await transition(tx, request, "rejected", { actor: principal.email, message: `Rejected: ${parsed.data.reason}` }, { decidedById: principal.userId, decisionReason: parsed.data.reason });
    await recordAudit(tx, principal, { action: "request.reject", outcome: "success", tenantId: request.tenantId, targetType: "request", targetId: request.id, detail: { reason: parsed.data.reason } });
  });
}
