import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { opencostFromEnv } from "@/lib/integrations/opencost/client";
import { logger } from "@/lib/observability/log";
import { checkBudgetAlerts } from "./budget-alerts";
import { COST_TICK_LOCK, runExclusive, type Exclusivity } from "./exclusive";
import { opencostInfraSource, type IdleSharing, type InfraCostSource } from "./infra-source";
import { fetchLiveToday } from "./live-today";
import { runCostSnapshots } from "./snapshot-job";

export type CostTickDeps = {
  db: Db;
  infra: InfraCostSource | null;
  litellm: Pick<LiteLLMClient, "spendLogs">;
  idleSharing: IdleSharing;
  exclusivity: Exclusivity;
};

export function costTickDepsFromEnv(db: Db, litellm: Pick<LiteLLMClient, "spendLogs">): CostTickDeps {
  const config = env();
  const client = opencostFromEnv();
  return { db, litellm, infra: client ? opencostInfraSource(client) : null, idleSharing: config.COST_IDLE_SHARING, exclusivity: config.DATABASE_URL ? "postgres" : "single-process" };
}

/**
 * Stores missing daily cost snapshots, then records budget threshold crossings with today's live
 * token spend counted (a tenant that crosses 100% at 10:00 hears it today, not after midnight).
 * One replica at a time: the others skip this tick (`ran: false`) rather than queue behind it.
 */
export async function costTick(deps: CostTickDeps, now = new Date()): Promise<{ ran: boolean }> {
  const result = await runExclusive(deps.db, COST_TICK_LOCK, deps.exclusivity, async () => {
    await runCostSnapshots(deps, { now });
    const tenantIds = new Set((await deps.db.tenant.findMany({ select: { id: true } })).map((t) => t.id));
    // Spend only: the alert rule is on token spend, so OpenCost is not asked here.
    const live = await fetchLiveToday({ ...deps, infra: null, tenantIds }, now);
    if (live.spend.status !== "ok") logger.warn("budget alerts without today's spend", { reason: live.spend.reason });
    const liveTodayMicros = new Map(live.spend.status === "ok" ? [...live.spend.data].map(([team, s]) => [team, s.spendMicros] as const) : []);
    await checkBudgetAlerts(deps.db, { now, liveTodayMicros });
  });
  return { ran: result.ran };
}
