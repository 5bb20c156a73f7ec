import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import { GPU_TYPE_IDS } from "@/lib/catalog/gpus";
import { listDeployments } from "@/lib/metrics/run-panel";
import type { Scope } from "@/lib/metrics/types";
import { limitsFor } from "./limits";

export type RunOptions = {
  /** Tenants the principal may start runs in (all tenants: platform admins, shown as `all`). */
  runTenants: string[];
  mayRunAnywhere: boolean;
  mayImportPlatform: boolean;
  importTenants: string[];
  /** `tenant/name` suggestions for the form; empty when Prometheus does not answer (the field stays free text). */
  deployments: string[];
  limits: { maxConcurrency: number; maxDurationS: number };
  gpuTypes: string[];
};

/** What the runs page offers this principal; the API decides again on submit. */
export async function runOptions(principal: Principal, nowMs = Date.now()): Promise<RunOptions> {
  const mayRunAnywhere = can(principal, "benchmark.run");
  const runTenants = [...principal.tenantRoles.keys()].filter((t) => can(principal, "benchmark.run", { tenantId: t })).sort();
  const importTenants = [...principal.tenantRoles.keys()].filter((t) => can(principal, "benchmark.import", { tenantId: t })).sort();
  const scopes: Scope[] = mayRunAnywhere ? [{ kind: "platform" }] : runTenants.map((t) => ({ kind: "tenant", tenant: t, namespaces: [t] }));
  const end = Math.floor(nowMs / 1000);
  const found = await Promise.all(scopes.map((s) => listDeployments(s, { start: end - 3600, end }).catch(() => [])));
  const deployments = [...new Set(found.flat().filter((d) => mayRunAnywhere || runTenants.includes(d.namespace)).map((d) => `${d.namespace}/${d.deployment}`))].sort();
  const limits = limitsFor(principal);
  return {
    runTenants, mayRunAnywhere, mayImportPlatform: can(principal, "benchmark.import"), importTenants, deployments,
    limits: { maxConcurrency: limits.maxConcurrency, maxDurationS: limits.maxDurationMs / 1000 }, gpuTypes: [...GPU_TYPE_IDS],
  };
}
