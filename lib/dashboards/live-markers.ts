import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import type { ResolvedRange } from "./range";

/** A change of the deployment the portal itself shipped: drawn as a vertical line on its charts. */
export type LiveMarker = {
  /** Unix seconds the request reached `live` (Argo CD reported it synced and healthy). */
  time: number;
  label: string;
  requestNumber: number;
  /** Link to the request page, only for those who may open it (tenant admins, platform admins). */
  href?: string;
};

// A deployment rarely changes more than a few times a day; a cap keeps a 90-day view of a
// very busy deployment from turning into a wall of lines.
const MAX_MARKERS = 200;

/**
 * The moments GitOps requests for this deployment went live inside the range. The tenant is
 * the caller's already-authorized tenant and is part of the query itself, so another tenant's
 * deployment of the same name can never contribute a line.
 */
export async function listLiveMarkers(
  db: Db,
  principal: Principal,
  tenantId: string,
  deployment: string,
  range: ResolvedRange,
): Promise<LiveMarker[]> {
  const events = await db.requestEvent.findMany({
    where: {
      type: "status",
      toStatus: "live",
      at: { gte: new Date(range.start * 1000), lte: new Date(range.end * 1000) },
      request: { tenantId, kind: "model-deployment", payload: { path: ["name"], equals: deployment } },
    },
    select: { at: true, request: { select: { id: true, number: true, title: true } } },
    orderBy: { at: "asc" },
    take: MAX_MARKERS,
  });
  const mayOpen = can(principal, "request.view", { tenantId });
  return events.map(({ at, request }) => ({
    time: Math.floor(at.getTime() / 1000),
    label: `#${request.number} went live: ${request.title}`,
    requestNumber: request.number,
    ...(mayOpen ? { href: `/requests/${request.id}` } : {}),
  }));
}

/**
 * The catalog model a deployment serves, from the newest request that shipped it. Null when
 * the portal never deployed it (it may still have metrics: the page then uses default SLOs).
 */
export async function deploymentModel(db: Db, tenantId: string, deployment: string): Promise<string | null> {
  const request = await db.changeRequest.findFirst({
    where: { tenantId, kind: "model-deployment", status: { in: ["live", "syncing", "merged"] }, payload: { path: ["name"], equals: deployment } },
    select: { payload: true },
    orderBy: { createdAt: "desc" },
  });
  const model = (request?.payload as { model?: unknown } | undefined)?.model;
  return typeof model === "string" ? model : null;
}
