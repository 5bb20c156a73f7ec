import { can } from "./policy";
import type { Principal } from "./principal";

export type NavItem = { href: string; label: string; icon: "home" | "key" | "building" | "scroll" | "git" | "check" };

/** The navigation a principal gets: only what the policy lets them open. */
export function navFor(principal: Principal): NavItem[] {
  const items: NavItem[] = [{ href: "/", label: "Home", icon: "home" }];
  for (const tenantId of [...principal.tenantRoles.keys()].sort()) {
    if (can(principal, "key.create", { tenantId })) {
      items.push({ href: `/t/${tenantId}/keys`, label: principal.tenantRoles.size > 1 ? `API keys · ${tenantId}` : "API keys", icon: "key" });
    }
  }
  const requester = principal.platformRoles.has("platform-admin") || [...principal.tenantRoles.keys()].some((t) => can(principal, "request.view", { tenantId: t }));
  if (requester) items.push({ href: "/requests", label: "Requests", icon: "git" });
  if (can(principal, "request.approve")) items.push({ href: "/approvals", label: "Approvals", icon: "check" });
  if (can(principal, "tenant.list-all")) items.push({ href: "/tenants", label: "Tenants", icon: "building" });
  const auditable = can(principal, "audit.view-all") || [...principal.tenantRoles.keys()].some((t) => can(principal, "audit.view-tenant", { tenantId: t }));
  if (auditable) items.push({ href: "/audit", label: "Audit log", icon: "scroll" });
  return items;
}
