import { GRANTS, type Action, type Role } from "./policy";

const LABELS: Partial<Record<Action, string>> = {
  "key.create": "Create API keys for the tenant's models",
  "key.view-any": "See every key of the tenant",
  "key.revoke-any": "Revoke any key of the tenant",
  "key.view-own": "See and revoke your own keys",
  "key.regenerate-own": "Regenerate your own keys",
  "audit.view-tenant": "Read the audit log",
  "audit.view-all": "Read the audit log of every tenant",
  "tenant.create": "Create tenants",
  "tenant.list-all": "See all tenants",
};

export const ROLE_LABELS: Record<Role, string> = {
  developer: "Developer",
  "tenant-admin": "Tenant admin",
  "platform-admin": "Platform admin",
  finance: "Finance",
};

/** What a role lets its holder do, in words, straight from the policy table. */
export function capabilities(role: Role): string[] {
  return GRANTS[role].map((action) => LABELS[action]).filter((label): label is string => Boolean(label));
}
