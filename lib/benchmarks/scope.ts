import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * Who sees which runs. Benchmarks carry model names, traffic shapes and deployment names, so
 * they follow the serving dashboards' permissions: `metrics.fleet` (platform admins) sees every
 * run; `metrics.tenant` members see their tenants' runs and the published reference runs;
 * anyone else sees nothing. Platform runs without a tenant stay with the platform team.
 */
export type BenchmarkScope = { kind: "all" } | { kind: "tenants"; tenantIds: string[] };

export function benchmarkScope(principal: Principal): BenchmarkScope {
  if (can(principal, "metrics.fleet")) return { kind: "all" };
  const tenantIds = [...principal.tenantRoles.keys()].filter((t) => can(principal, "metrics.tenant", { tenantId: t }));
  return { kind: "tenants", tenantIds };
}

/** The scope as a where clause, so every query carries the tenant (never check-then-act). */
export function scopeWhere(scope: BenchmarkScope): Prisma.BenchmarkRunWhereInput {
  if (scope.kind === "all") return {};
  return { OR: [{ tenantId: { in: scope.tenantIds } }, { source: "reference" }] };
}

/** Starting or importing a run: tenant admins in their tenant (`request.create`), platform admins anywhere. */
export function canRunIn(principal: Principal, tenantId: string | null): boolean {
  if (tenantId === null) return can(principal, "metrics.fleet") && can(principal, "request.create");
  return can(principal, "request.create", { tenantId }) && can(principal, "metrics.tenant", { tenantId });
}
