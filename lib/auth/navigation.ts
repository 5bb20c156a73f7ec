import { can } from "./policy";
import type { Principal } from "./principal";

export type NavItem = { href: string; label: string; icon: "home" | "key" | "building" | "scroll" | "git" | "check" | "gauge" | "chart" | "terminal" };

/** The navigation a principal gets: only what the policy lets them open. */
export function navFor(principal: Principal): NavItem[] {
  const items: NavItem[] = [{ href: "/", label: "Home", icon: "home" }];
  for (const tenantId of [...principal.tenantRoles.keys()].sort()) {
    if (can(principal, "key.create", { tenantId })) {
      items.push({ href: `/t/${tenantId}/keys`, label: principal.tenantRoles.size > 1 ? `API keys · ${tenantId}` : "API keys", icon: "key" });
    }
    if (can(principal, "metrics.tenant", { tenantId })) {
      items.push({ href: `/t/${tenantId}/usage`, label: principal.tenantRoles.size > 1 ? `Usage · ${tenantId}` : "Usage", icon: "chart" });
    }
    // Finance and platform admins reach every tenant's costs from the Costs table instead.
    if (!can(principal, "cost.view-all") && can(principal, "cost.view-tenant", { tenantId })) {
      items.push({ href: `/t/${tenantId}/costs`, label: principal.tenantRoles.size > 1 ? `Costs · ${tenantId}` : "Costs", icon: "scroll" });
    }
  }
  if (can(principal, "cost.view-all")) items.push({ href: "/costs", label: "Costs", icon: "chart" });
  if (can(principal, "metrics.fleet")) items.push({ href: "/fleet", label: "Fleet", icon: "gauge" });
  if (can(principal, "metrics.explore")) items.push({ href: "/explore", label: "Explore", icon: "terminal" });
  const requester = principal.platformRoles.has("platform-admin") || [...principal.tenantRoles.keys()].some((t) => can(principal, "request.view", { tenantId: t }));
  if (requester) items.push({ href: "/requests", label: "Requests", icon: "git" });
  if (can(principal, "request.approve")) items.push({ href: "/approvals", label: "Approvals", icon: "check" });
  const benchmarks = can(principal, "benchmark.view") || [...principal.tenantRoles.keys()].some((t) => can(principal, "benchmark.view", { tenantId: t }));
  if (benchmarks) items.push({ href: "/benchmarks", label: "Benchmarks", icon: "gauge" });
  if (can(principal, "tenant.list-all")) items.push({ href: "/tenants", label: "Tenants", icon: "building" });
  const auditable = can(principal, "audit.view-all") || [...principal.tenantRoles.keys()].some((t) => can(principal, "audit.view-tenant", { tenantId: t }));
  if (auditable) items.push({ href: "/audit", label: "Audit log", icon: "scroll" });
  return items;
}
