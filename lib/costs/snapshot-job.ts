import type { Db } from "@/lib/db/client";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { logger } from "@/lib/observability/log";
import { infraDayRows } from "./infra-day";
import { idleShareFlags, type IdleSharing, type InfraCostSource } from "./infra-source";
import { DAY_MS, isoDay, startOfUtcDay } from "./period";
import { aggregateSpend } from "./token-spend";

/** Marks a day as stored for a source; also holds the source's cluster-wide figure. */
export const CLUSTER = "__cluster__";
export const DEFAULT_BACKFILL_DAYS = 35;

export type SnapshotDeps = {
  db: Db;
  /** Null when OpenCost is not configured: token spend is still stored. */
  infra: InfraCostSource | null;
  litellm: Pick<LiteLLMClient, "spendLogs">;
  idleSharing: IdleSharing;
};

/** Closed UTC days in the backfill window that have no marker row for `source` yet. */
async function missingDays(db: Db, source: string, now: Date, backfillDays: number): Promise<Date[]> {
  const today = startOfUtcDay(now);
  const first = new Date(today.getTime() - backfillDays * DAY_MS);
  const stored = await db.costSnapshot.findMany({ where: { tenantId: CLUSTER, source, day: { gte: first, lt: today } }, select: { day: true } });
  const have = new Set(stored.map((s) => isoDay(s.day)));
  const days: Date[] = [];
  for (let d = first; d < today; d = new Date(d.getTime() + DAY_MS)) if (!have.has(isoDay(d))) days.push(d);
  return days;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
type SnapshotFields = Omit<Parameters<Db["costSnapshot"]["create"]>[0]["data"], "tenantId" | "day" | "source">;

function upsertSnapshot(tx: Tx, tenantId: string, day: Date, source: string, data: SnapshotFields) {
  return tx.costSnapshot.upsert({ where: { tenantId_day_source: { tenantId, day, source } }, create: { tenantId, day, source, ...data }, update: data });
}

async function snapshotInfraDay(deps: SnapshotDeps, day: Date, tenantIds: Set<string>) {
  const window = { start: day, end: new Date(day.getTime() + DAY_MS) };
  const infra = deps.infra;
  if (!infra) return;
  const unshared = await infra.byNamespace(window, { shareIdle: false, idleByNode: false });
  const shared = deps.idleSharing === "none" ? null : await infra.byNamespace(window, idleShareFlags(deps.idleSharing));
  const byModel = await infra.byModel(window);
  const clusterCents = await infra.clusterTotalCents(window);
  const rows = infraDayRows({ unshared, shared, sharing: deps.idleSharing, tenantIds });
  // One transaction per day: the marker row lands with the data, so a crash leaves the day missing
  // (retried next tick), never half-stored.
  await deps.db.$transaction(async (tx) => {
    for (const { tenantId, ...r } of rows) await upsertSnapshot(tx, tenantId, day, "opencost", { ...r, idleSharing: deps.idleSharing });
    for (const m of byModel.filter((m) => tenantIds.has(m.namespace))) {
      const data = { gpuMilliHours: m.gpuMilliHours, gpuCostCents: m.gpuCostCents };
      await tx.costBreakdown.upsert({
        where: { tenantId_day_dimension_value: { tenantId: m.namespace, day, dimension: "gpu-model", value: m.model } },
        create: { tenantId: m.namespace, day, dimension: "gpu-model", value: m.model, ...data },
        update: data,
      });
    }
    await upsertSnapshot(tx, CLUSTER, day, "opencost", { gpuCostCents: clusterCents, idleSharing: deps.idleSharing });
  });
}

async function snapshotSpendDay(deps: SnapshotDeps, day: Date, tenantIds: Set<string>) {
  const end = new Date(day.getTime() + DAY_MS);
  const rows = await deps.litellm.spendLogs({ startDate: isoDay(day), endDate: isoDay(end) });
  const teams = aggregateSpend(rows, { start: day, end });
  let all = { spendMicros: 0n, inputTokens: 0n, outputTokens: 0n };
  await deps.db.$transaction(async (tx) => {
    for (const [teamId, t] of teams) {
      all = { spendMicros: all.spendMicros + t.spendMicros, inputTokens: all.inputTokens + t.inputTokens, outputTokens: all.outputTokens + t.outputTokens };
      if (!tenantIds.has(teamId)) continue;
      await upsertSnapshot(tx, teamId, day, "litellm", { tokenSpendMicros: t.spendMicros, inputTokens: t.inputTokens, outputTokens: t.outputTokens });
      for (const [dimension, map] of [["model", t.byModel], ["key", t.byKey], ["user", t.byUser]] as const) {
        for (const [value, s] of map) {
          const data = { tokenSpendMicros: s.spendMicros, inputTokens: s.inputTokens, outputTokens: s.outputTokens, requests: s.requests };
          await tx.costBreakdown.upsert({
            where: { tenantId_day_dimension_value: { tenantId: teamId, day, dimension, value } },
            create: { tenantId: teamId, day, dimension, value, ...data },
            update: data,
          });
        }
      }
    }
    await upsertSnapshot(tx, CLUSTER, day, "litellm", { tokenSpendMicros: all.spendMicros, inputTokens: all.inputTokens, outputTokens: all.outputTokens });
  });
}

/**
 * Stores every closed day of the last `backfillDays` not stored yet, per source. Today is never
 * stored (pages compute it live). Days already stored are skipped, and a day is written with
 * upserts on (tenant, day, source), so running this twice, or on two workers, changes nothing.
 * A source that fails is logged and retried on the next tick; the other source still proceeds.
 */
export async function runCostSnapshots(deps: SnapshotDeps, opts: { now?: Date; backfillDays?: number } = {}): Promise<{ infraDays: string[]; spendDays: string[] }> {
  const now = opts.now ?? new Date();
  const backfill = opts.backfillDays ?? DEFAULT_BACKFILL_DAYS;
  const tenantIds = new Set((await deps.db.tenant.findMany({ select: { id: true } })).map((t) => t.id));
  const done = { infraDays: [] as string[], spendDays: [] as string[] };
  const steps = [
    ["opencost", snapshotInfraDay, done.infraDays],
    ["litellm", snapshotSpendDay, done.spendDays],
  ] as const;
  for (const [source, snapshotDay, list] of steps) {
    if (source === "opencost" && !deps.infra) continue;
    try {
      for (const day of await missingDays(deps.db, source, now, backfill)) {
        await snapshotDay(deps, day, tenantIds);
        list.push(isoDay(day));
      }
    } catch (error) {
      logger.warn("cost snapshot failed, will retry", { source, error: (error as Error).message });
    }
  }
  return done;
}
