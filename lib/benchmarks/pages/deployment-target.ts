import type { Db } from "@/lib/db/client";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { modelDeploymentRequest } from "@/lib/gitops/requests";
import { listDeployments } from "@/lib/metrics/run-panel";
import type { Scope } from "@/lib/metrics/types";
import { notFound } from "@/lib/http/errors";

export type DeploymentTarget = {
  namespace: string;
  name: string;
  /** vLLM's served model name (what a direct request names). */
  servedModel: string;
  /** The gateway's model name: the catalog id LiteLLM routes on (the served name when unknown). */
  gatewayModel: string;
  /** The live request that shipped this configuration, when the portal shipped it. */
  changeRequestId: string | null;
  servingLayer: string | null;
  gpuType: string | null;
  gpuCount: number | null;
};

// The last hour is enough to know the deployment serves now; an idle one still exports gauges.
const RECENT_SECONDS = 3600;

/**
 * A deployment the caller may benchmark: it must be serving in the caller's tenant scope (the
 * metrics layer reads only that tenant's namespace, so another tenant's deployment of the same
 * name is simply absent, answering 404 like an unknown one). The configuration measured comes
 * from the newest live request for it, in the same tenant (the tenant is in the where).
 */
export async function resolveDeploymentTarget(db: Db, scope: Extract<Scope, { kind: "tenant" }>, name: string, nowMs = Date.now()): Promise<DeploymentTarget> {
  const end = Math.floor(nowMs / 1000);
  const rows = await listDeployments(scope, { start: end - RECENT_SECONDS, end });
  const row = rows.find((r) => scope.namespaces.includes(r.namespace) && r.namespace === scope.tenant && r.deployment === name);
  if (!row) throw notFound();
  const request = await db.changeRequest.findFirst({
    where: { tenantId: scope.tenant, kind: "model-deployment", status: "live", payload: { path: ["name"], equals: name } },
    orderBy: { createdAt: "desc" },
    select: { id: true, payload: true },
  });
  const payload = request ? modelDeploymentRequest.safeParse(request.payload) : null;
  const shipped = payload?.success ? payload.data : null;
  return {
    namespace: row.namespace, name, servedModel: row.model,
    gatewayModel: shipped?.model ?? MODEL_CATALOG.find((m) => m.servedName === row.model)?.id ?? row.model,
    changeRequestId: request?.id ?? null,
    servingLayer: shipped?.servingLayer ?? null, gpuType: shipped?.gpuType ?? null, gpuCount: shipped?.gpusPerReplica ?? null,
  };
}
