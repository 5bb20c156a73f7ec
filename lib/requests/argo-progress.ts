import type { ApplicationStatus } from "@/lib/integrations/kubernetes/argo";

export type Progress = { status: "syncing" | "live" | "failed"; message: string };

/**
 * Where a merged request stands, from its Argo CD Application. Only a revision that contains
 * the merge commit counts: an app Synced and Healthy at an older revision says nothing about
 * this change, and a failure at an older revision is not this change's failure.
 */
export function progressFromArgo(app: ApplicationStatus | null, revisionContainsMerge: boolean): Progress {
  if (!app) return { status: "syncing", message: "Waiting for Argo CD to create the Application" };
  if (!revisionContainsMerge) return { status: "syncing", message: `Argo CD has not yet picked up the merge (at ${app.revision?.slice(0, 7) ?? "no revision"})` };
  const failedOperation = app.operationPhase === "Failed" || app.operationPhase === "Error";
  if (failedOperation || app.health === "Degraded") {
    return { status: "failed", message: app.message ?? `Argo CD reports ${app.operationPhase ?? app.health}` };
  }
  if (app.sync === "Synced" && app.health === "Healthy") return { status: "live", message: "Synced and Healthy at the merge commit" };
  return { status: "syncing", message: `Argo CD: ${app.sync}, ${app.health}${app.operationPhase ? `, operation ${app.operationPhase}` : ""}` };
}
