import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { dnsLabel } from "@/lib/gitops/requests";
import { validationError } from "@/lib/http/errors";
import { listDeployments } from "@/lib/metrics/run-panel";
import type { DeploymentRef } from "@/lib/metrics/types";
import { parseDashboardQuery } from "./query";
import { platformMetricsScope, tenantMetricsScope } from "./scope";

const deploymentsQuery = z.object({ namespace: dnsLabel(63).optional() });

/**
 * Deployments that have metrics in the range: one tenant's (members, 404 across tenants) when
 * `namespace` is given, every tenant's (platform admins) otherwise. The result is filtered to
 * the scope's namespaces once more, so a scoping bug upstream cannot leak another tenant's row.
 */
export async function listScopedDeployments(db: Db, principal: Principal, search: URLSearchParams, nowSeconds = Date.now() / 1000): Promise<{ deployments: DeploymentRef[] }> {
  const parsed = deploymentsQuery.safeParse({ namespace: search.get("namespace") || undefined });
  if (!parsed.success) throw validationError(parsed.error);
  const { namespace } = parsed.data;
  const scope = namespace ? await tenantMetricsScope(db, principal, namespace) : await platformMetricsScope(db, principal);
  const { range } = parseDashboardQuery(search, nowSeconds);
  const rows = await listDeployments(scope, range);
  const deployments = scope.kind === "tenant" ? rows.filter((row) => scope.namespaces.includes(row.namespace)) : rows;
  return { deployments: [...deployments].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.deployment.localeCompare(b.deployment)) };
}
