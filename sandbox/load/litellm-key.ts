import { z } from "zod";

/**
 * The load generator calls the gateway as a tenant would: with a virtual key of the tenant's
 * LiteLLM team, so budgets, rate limits and spend apply to it exactly as to real traffic. The
 * team is found by id (the portal uses its tenant id), by id = slug, or by alias (the tenant's
 * display name, from the demo tenants file).
 */

const teamSchema = z.looseObject({ team_id: z.string(), team_alias: z.string().nullable().optional() });
const keySchema = z.looseObject({ key: z.string().min(1) });

export interface TenantRef {
  slug: string;
  displayName?: string;
  /** Explicit LiteLLM team id; wins over slug/alias matching. */
  teamId?: string;
}

async function admin(baseUrl: string, masterKey: string, path: string, init: { method: "GET" } | { method: "POST"; body: unknown }): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method,
    headers: { authorization: `Bearer ${masterKey}`, "content-type": "application/json" },
    body: init.method === "POST" ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`LiteLLM ${path} answered ${res.status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  return body;
}

export async function findTeamId(baseUrl: string, masterKey: string, tenant: TenantRef): Promise<string | undefined> {
  const teams = z.array(teamSchema).parse(await admin(baseUrl, masterKey, "/team/list", { method: "GET" }));
  const match =
    teams.find((t) => tenant.teamId !== undefined && t.team_id === tenant.teamId) ??
    (tenant.teamId === undefined ? (teams.find((t) => t.team_id === tenant.slug) ?? teams.find((t) => tenant.displayName !== undefined && t.team_alias === tenant.displayName)) : undefined);
  return match?.team_id;
}

export interface LoadKey {
  secret: string;
  teamId: string;
  delete(): Promise<void>;
}

export async function createLoadKey(baseUrl: string, masterKey: string, tenant: TenantRef, models: string[]): Promise<LoadKey> {
  const teamId = await findTeamId(baseUrl, masterKey, tenant);
  if (!teamId) {
    throw new Error(
      `No LiteLLM team for tenant "${tenant.slug}"${tenant.teamId ? ` (team id ${tenant.teamId})` : ""}: start the portal once so it syncs its tenants' teams, or pass --team <team_id>`,
    );
  }
  const created = keySchema.parse(
    await admin(baseUrl, masterKey, "/key/generate", {
      method: "POST",
      body: {
        team_id: teamId,
        models,
        key_alias: `sandbox-load-${tenant.slug}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        duration: "1d",
        metadata: { purpose: "sandbox traffic generator" },
      },
    }),
  );
  return {
    secret: created.key,
    teamId,
    delete: async () => {
      await admin(baseUrl, masterKey, "/key/delete", { method: "POST", body: { keys: [created.key] } }).catch(() => undefined);
    },
  };
}
