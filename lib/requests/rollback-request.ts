import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/http/errors";
import type { PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { getRequestOrThrow } from "./get-request-or-throw";
import type { PreparedChange } from "./prepare-change";
import { createQueuedRequest } from "./submit-request";
import type { FileChange } from "@/lib/integrations/github/platform-repo";
import type { ChangeSummary } from "./pr-body";

/**
 * Opens a revert PR for a merged request: every file its merge commit touched goes back to what
 * the commit's parent had (or is removed if it did not exist there). Goes through review like any change;
 * LiteLLM-owned values roll back with the reverted team spec after merge.
 */
export async function rollbackRequest(db: Db, repo: PlatformRepo, principal: Principal, requestId: string) {
  const original = await getRequestOrThrow(db, principal, requestId, actionFor(await db.changeRequest.findUnique({ where: { id: requestId }, select: { kind: true } })));
  if (original.kind === "rollback" || !original.mergeSha || !["live", "failed"].includes(original.status)) {
    throw new AppError("conflict", "Only merged requests that are live or failed can be rolled back");
  }
  // What the merge commit changed, not what the portal rendered: edits pushed to the PR branch
  // before it was merged (reviewed or not) are reverted too.
  const parent = await repo.parentOf(original.mergeSha);
  const files: FileChange[] = [];
  for (const path of await repo.commitPaths(original.mergeSha)) files.push({ path, content: await repo.readFile(path, parent) });
  const summary: ChangeSummary = {
    title: `Roll back #${original.number}: ${original.title}`,
    summaryRows: [
      ["Rolls back", `#${original.number} (${original.kind}), merged as ${original.mergeSha.slice(0, 7)}`],
      ["Restores", `files as of ${parent.slice(0, 7)}`],
    ],
    checklist: ["The reverted state is what the tenant should run", "Dependent requests merged after this one still make sense"],
    costDeltaCents: original.costDeltaCents === null ? null : -original.costDeltaCents,
  };
  const change: PreparedChange = {
    kind: "rollback",
    tenantId: original.tenantId,
    title: summary.title,
    payload: { rollbackOf: original.id },
    files,
    summary,
    argoApp: original.argoApp,
  };
  return createQueuedRequest(db, principal, change, original.id);
}

// Rolling back onboarding is the platform team's call, like onboarding itself.
function actionFor(row: { kind: string } | null) {
  return row?.kind === "tenant-onboarding" ? ("tenant.onboard" as const) : ("request.create" as const);
}
