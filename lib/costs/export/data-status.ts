import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { isoDay, startOfUtcDay } from "@/lib/costs/period";
import { CLUSTER } from "@/lib/costs/snapshot-job";

export type CostDataStatus = {
  /** OPENCOST_URL is set: without it there are no infrastructure figures, which is not "zero". */
  opencostConfigured: boolean;
  /** Any stored snapshot at all (the worker writes the first after the first closed day). */
  hasSnapshots: boolean;
  /** Last day OpenCost figures were stored for. */
  latestInfraDay: string | null;
  /**
   * OpenCost is configured but yesterday (the last closed day) has no OpenCost snapshot: the
   * worker could not reach OpenCost, or is not running. Pages read snapshots, never OpenCost
   * itself, so this is how an outage shows.
   */
  infraStale: boolean;
};

export async function costDataStatus(db: Db, now = new Date()): Promise<CostDataStatus> {
  const [any, latest] = await Promise.all([
    db.costSnapshot.findFirst({ select: { id: true } }),
    db.costSnapshot.findFirst({ where: { tenantId: CLUSTER, source: "opencost" }, orderBy: { day: "desc" }, select: { day: true } }),
  ]);
  const configured = Boolean(env().OPENCOST_URL);
  const lastClosed = new Date(startOfUtcDay(now).getTime() - 86_400_000);
  return {
    opencostConfigured: configured,
    hasSnapshots: any !== null,
    latestInfraDay: latest ? isoDay(latest.day) : null,
    infraStale: configured && (!latest || latest.day < lastClosed),
  };
}
