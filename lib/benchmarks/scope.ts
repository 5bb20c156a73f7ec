import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/policy";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * Who sees which runs. Benchmarks carry model names, traffic shapes and deployment names, so
 * `benchmark.view` granted platform-wide (platform admins) sees every run; granted in a tenant
 * (its members) sees that tenant's runs and the published reference runs; anyone else (finance
 * included) sees nothing. Platform runs without a tenant stay with the platform team.
 */
export type BenchmarkScope = { kind: "all" } | { kind: "tenants"; tenantIds: string[] };

export function benchmarkScope(principal: Principal): BenchmarkScope {
  // Without a resource only platform roles count: this is "may see every tenant's runs".
  if (can(principal, "benchmark.view")) return { kind: "all" };
  const tenantIds = [...principal.tenantRoles.keys()].filter((t) => can(principal, "benchmark.view", { tenantId: t }));
  return { kind: "tenants", tenantIds };
}

/** The scope as a where clause, so every query carries the tenant (never check-then-act). */
export function scopeWhere(scope: BenchmarkScope): Prisma.BenchmarkRunWhereInput {
  if (scope.kind === "all") return {};
  // No tenant to read benchmarks in (finance, no role): not even the reference runs, which
  // would otherwise be the one thing a principal without any benchmark right could list.
  if (scope.tenantIds.length === 0) return { id: { in: [] } };
  return { OR: [{ tenantId: { in: scope.tenantIds } }, { source: "reference" }] };
}

/** Starting or importing a run: tenant admins in their tenant (`benchmark.run`), platform admins anywhere. */
export function canRunIn(principal: Principal, tenantId: string | null): boolean {
  if (tenantId === null) return can(principal, "benchmark.run");
  return can(principal, "benchmark.run", { tenantId });
}
