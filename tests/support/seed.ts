import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import type { PlatformRole, TenantRole } from "@/lib/auth/policy";
import type { Db } from "@/lib/db/client";
import type { IntegrationError } from "@/lib/integrations/http";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";

export async function seedUser(db: Db, email = `${randomUUID().slice(0, 8)}@example.test`) {
  return db.user.create({ data: { issuer: "https://dex.test", subject: randomUUID(), email, name: email.split("@")[0] } });
}

export async function seedTenant(db: Db, overrides: Partial<Parameters<Db["tenant"]["create"]>[0]["data"]> = {}) {
  return db.tenant.create({
    data: {
      id: `t-${randomUUID().slice(0, 8)}`,
      displayName: "Test tenant",
      allowedModels: ["llama-3.1-8b-instruct", "qwen2.5-0.5b-instruct"],
      monthlyBudgetCents: 10_000,
      status: "active",
      ...overrides,
    },
  });
}

/** The principal resolvePrincipal would build for this user and these roles. */
export function principalFor(
  user: { id: string; email: string; name: string | null },
  roles: { tenants?: Record<string, TenantRole>; platform?: PlatformRole[] } = {},
): Principal {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    groups: [],
    platformRoles: new Set(roles.platform ?? []),
    tenantRoles: new Map(Object.entries(roles.tenants ?? {})),
    requestId: randomUUID(),
  };
}

type Call = { method: string; args: unknown[] };

/**
 * A stand-in for LiteLLM that records every call. Each method can be replaced; the defaults
 * describe a team with no spend that accepts everything.
 */
export function fakeLiteLLM(overrides: Partial<Record<keyof LiteLLMClient, (...args: never[]) => Promise<unknown>>> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, (...args: never[]) => Promise<unknown>> = {
    teamInfo: async (teamId: string) => ({ team_id: teamId, team_info: { team_id: teamId, spend: 0, models: [] }, keys: [] }),
    createTeam: async (spec: { team_id: string }) => ({ team_id: spec.team_id, models: [] }),
    updateTeam: async (spec: { team_id: string }) => ({ team_id: spec.team_id }),
    listKeys: async () => [],
    generateKey: async (input: { key: string }) => ({ key: input.key }),
    keyInfo: async (key: string) => ({ key, info: { token: key, spend: 0, models: [] } }),
    deleteKeys: async (keys: string[]) => ({ deleted_keys: keys }),
  };
  const methods = { ...defaults, ...overrides };
  const client = Object.fromEntries(
    Object.entries(methods).map(([method, impl]) => [
      method,
      (...args: never[]) => {
        calls.push({ method, args });
        return impl(...args);
      },
    ]),
  ) as unknown as LiteLLMClient;
  return { client, calls, called: (method: string) => calls.filter((c) => c.method === method) };
}

export const rejectWith = (error: IntegrationError | Error) => async () => {
  throw error;
};
