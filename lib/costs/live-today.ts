import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { litellmFromEnv, type LiteLLMClient } from "@/lib/integrations/litellm/client";
import { opencostFromEnv } from "@/lib/integrations/opencost/client";
import { infraDayRows, type InfraRow } from "./infra-day";
import { idleShareFlags, opencostInfraSource, type IdleSharing, type InfraCostSource, type ModelGpuCost } from "./infra-source";
import { DAY_MS, isoDay, startOfUtcDay } from "./period";
import { aggregateSpend, type TeamDaySpend } from "./token-spend";

/** A live source either answered or says, in words safe to show, why it did not. */
export type LiveResult<T> = { status: "ok"; data: T } | { status: "unavailable"; reason: string };

export type LiveInfra = { rows: InfraRow[]; byModel: ModelGpuCost[]; clusterTotalCents: number };

/**
 * Today's figures so far, never stored: OpenCost over [today 00:00 UTC, now) and LiteLLM spend
 * rows stamped today. Pages add them to the stored closed days and mark them as live, so "this
 * month" means what finance expects (up to now) while snapshots stay immutable closed days.
 */
export type LiveToday = {
  day: string;
  asOf: string;
  infra: LiveResult<LiveInfra>;
  spend: LiveResult<Map<string, TeamDaySpend>>;
};

export type LiveDeps = {
  infra: InfraCostSource | null;
  litellm: Pick<LiteLLMClient, "spendLogs">;
  idleSharing: IdleSharing;
  tenantIds: ReadonlySet<string>;
};

const reasonOf = (source: string, error: unknown) => `${source} did not answer: ${(error as Error).message?.slice(0, 200) || "unknown error"}`;

export async function fetchLiveToday(deps: LiveDeps, now = new Date()): Promise<LiveToday> {
  const today = startOfUtcDay(now);
  // OpenCost windows are whole seconds; an empty window (the first second of the day) has no cost.
  const end = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const window = { start: today, end };
  const infra = async (): Promise<LiveResult<LiveInfra>> => {
    if (!deps.infra) return { status: "unavailable", reason: "OpenCost is not configured (OPENCOST_URL)" };
    if (end <= today) return { status: "ok", data: { rows: [], byModel: [], clusterTotalCents: 0 } };
    const source = deps.infra;
    try {
      const [unshared, shared, byModel, clusterTotalCents] = await Promise.all([
        source.byNamespace(window, { shareIdle: false, idleByNode: false }),
        deps.idleSharing === "none" ? Promise.resolve(null) : source.byNamespace(window, idleShareFlags(deps.idleSharing)),
        source.byModel(window),
        source.clusterTotalCents(window),
      ]);
      const rows = infraDayRows({ unshared, shared, sharing: deps.idleSharing, tenantIds: deps.tenantIds });
      return { status: "ok", data: { rows, byModel: byModel.filter((m) => deps.tenantIds.has(m.namespace)), clusterTotalCents } };
    } catch (error) {
      return { status: "unavailable", reason: reasonOf("OpenCost", error) };
    }
  };
  const spend = async (): Promise<LiveResult<Map<string, TeamDaySpend>>> => {
    try {
      const rows = await deps.litellm.spendLogs({ startDate: isoDay(today), endDate: isoDay(new Date(today.getTime() + DAY_MS)) });
      return { status: "ok", data: aggregateSpend(rows, { start: today, end: new Date(today.getTime() + DAY_MS) }) };
    } catch (error) {
      return { status: "unavailable", reason: reasonOf("LiteLLM", error) };
    }
  };
  const [i, s] = await Promise.all([infra(), spend()]);
  return { day: isoDay(today), asOf: now.toISOString(), infra: i, spend: s };
}

/** Live figures are re-read at most this often: page views must not hammer OpenCost. */
export const LIVE_TTL_MS = 60_000;

type Entry = { at: number; day: string; value: Promise<LiveToday> };
const cache = globalThis as typeof globalThis & { __portalLiveToday?: Map<string, Entry> };

/**
 * `fetchLiveToday` behind a short per-process cache with single flight: concurrent views share
 * one fetch, a new UTC day starts afresh, and a failed fetch is not cached past its TTL.
 */
export function cachedLiveToday(key: string, load: (now: Date) => Promise<LiveToday>, opts: { now?: Date; ttlMs?: number } = {}): Promise<LiveToday> {
  const now = opts.now ?? new Date();
  const entries = (cache.__portalLiveToday ??= new Map());
  const hit = entries.get(key);
  if (hit && hit.day === isoDay(now) && now.getTime() - hit.at < (opts.ttlMs ?? LIVE_TTL_MS)) return hit.value;
  const value = load(now);
  entries.set(key, { at: now.getTime(), day: isoDay(now), value });
  value.catch(() => entries.delete(key));
  return value;
}

/** Test hook: forget cached live figures. */
export function clearLiveTodayCache(): void {
  cache.__portalLiveToday?.clear();
}

/** Today's live figures from the configured OpenCost and LiteLLM, cached briefly. */
export async function liveTodayFromEnv(db: Db, now = new Date()): Promise<LiveToday> {
  const config = env();
  const client = opencostFromEnv();
  return cachedLiveToday(
    `env:${config.COST_IDLE_SHARING}`,
    async (at) => {
      const tenantIds = new Set((await db.tenant.findMany({ select: { id: true } })).map((t) => t.id));
      return fetchLiveToday({ infra: client ? opencostInfraSource(client) : null, litellm: litellmFromEnv(), idleSharing: config.COST_IDLE_SHARING, tenantIds }, at);
    },
    { now },
  );
}
