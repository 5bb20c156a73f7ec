import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import type { FileChange } from "@/lib/integrations/github/platform-repo";
import { logger } from "@/lib/observability/log";
import type { Platform } from "./platform";
import { getRequestOrThrow } from "./get-request-or-throw";
import type { ChangeSummary } from "./pr-body";

/** A request with its timeline, its diff (GitHub's patch when the PR exists) and what the viewer may do. */
export async function getRequestDetail(db: Db, platform: Platform, principal: Principal, requestId: string) {
  const request = await getRequestOrThrow(db, principal, requestId, "request.view");
  const events = await db.requestEvent.findMany({ where: { requestId }, orderBy: { at: "asc" } });
  const files = request.files as FileChange[];
  let patches: Map<string, { status: string; patch: string }> | null = null;
  if (request.prNumber !== null) {
    try {
      patches = new Map((await platform.repo.listFiles(request.prNumber)).map((f) => [f.filename, { status: f.status, patch: f.patch }]));
    } catch (error) {
      logger.warn("pull request files unavailable", { requestId, error });
    }
  }
  const diff = files.map((f) => ({
    path: f.path,
    content: f.content,
    status: patches?.get(f.path)?.status ?? (f.content === null ? "removed" : "rendered"),
    patch: patches?.get(f.path)?.patch || null,
  }));
  const mayDecide = can(principal, "request.approve", { tenantId: request.tenantId }) && request.requesterId !== principal.userId;
  const mayRollback =
    can(principal, request.kind === "tenant-onboarding" ? "tenant.onboard" : "request.create", { tenantId: request.tenantId }) &&
    request.kind !== "rollback" &&
    request.mergeSha !== null &&
    ["live", "failed"].includes(request.status);
  return { request, summary: request.summary as ChangeSummary, events, diff, mayDecide, mayRollback };
}
