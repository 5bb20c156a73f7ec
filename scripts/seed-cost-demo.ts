/**
 * Known cost history for demos and e2e: loads the OpenCost stand-in's scripted scenario for the
 * previous and the current month (`POST /_sandbox/scenario`, stand-in only) and stores the closed
 * days through the real snapshot job, so the Costs pages show figures `scenarioExpectations`
 * states to the cent. Idempotent: the seeded range's OpenCost rows are replaced, so a second run
 * (or a worker tick in between) leaves the same rows. Token spend is whatever the LiteLLM
 * stand-in has recorded (the job reads it like any other day).
 *
 *   npx tsx scripts/seed-cost-demo.ts --opencost http://127.0.0.1:9003 --litellm http://127.0.0.1:4000
 */
import { pathToFileURL } from "node:url";
import { createLiteLLMClient } from "@/lib/integrations/litellm/client";
import { createOpenCostClient } from "@/lib/integrations/opencost/client";
import type { Db } from "@/lib/db/client";
import { opencostInfraSource, type IdleSharing } from "@/lib/costs/infra-source";
import { DAY_MS, startOfUtcDay } from "@/lib/costs/period";
import { runCostSnapshots } from "@/lib/costs/snapshot-job";

export type SeedCostDemoOptions = {
  /** Default: the portal's own database (`getDb()`). */
  db?: Db;
  opencostUrl: string;
  litellmUrl: string;
  litellmMasterKey?: string;
  idleSharing?: IdleSharing;
  now?: Date;
  timeoutMs?: number;
};

const month = (d: Date) => d.toISOString().slice(0, 7);

export async function seedCostDemo(options: SeedCostDemoOptions): Promise<{ months: string[]; infraDays: string[]; spendDays: string[] }> {
  const now = options.now ?? new Date();
  const db = options.db ?? (await (await import("@/lib/db/client")).getDb());
  const current = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const months = [month(previous), month(current)];
  const url = `${options.opencostUrl.replace(/\/+$/, "")}/_sandbox/scenario?${months.map((m) => `month=${m}`).join("&")}`;
  const response = await fetch(url, { method: "POST", signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  if (!response.ok) throw new Error(`the OpenCost stand-in refused the scenario (${response.status}): ${(await response.text()).slice(0, 200)}`);

  // Days already stored from the live cluster would be skipped by the job: replace them.
  const range = { gte: previous, lt: startOfUtcDay(now) };
  await db.$transaction([
    db.costSnapshot.deleteMany({ where: { source: "opencost", day: range } }),
    db.costBreakdown.deleteMany({ where: { dimension: "gpu-model", day: range } }),
  ]);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const done = await runCostSnapshots(
    {
      db,
      infra: opencostInfraSource(createOpenCostClient({ baseUrl: options.opencostUrl, timeoutMs })),
      litellm: createLiteLLMClient({ baseUrl: options.litellmUrl, masterKey: options.litellmMasterKey ?? process.env.LITELLM_MASTER_KEY ?? "sk-sandbox-master", timeoutMs }),
      // Must match what the pages read the rows with (COST_IDLE_SHARING), unless told otherwise.
      idleSharing: options.idleSharing ?? (await import("@/lib/config/env")).env().COST_IDLE_SHARING,
    },
    { now, backfillDays: Math.round((startOfUtcDay(now).getTime() - previous.getTime()) / DAY_MS) },
  );
  return { months, ...done };
}

async function main(): Promise<void> {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const opencostUrl = arg("opencost", process.env.OPENCOST_URL);
  if (!opencostUrl) throw new Error("--opencost URL (or OPENCOST_URL) is required");
  const result = await seedCostDemo({ opencostUrl, litellmUrl: arg("litellm", process.env.LITELLM_URL ?? "http://127.0.0.1:4000")! });
  console.log(JSON.stringify(result));
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main().catch((e: unknown) => (console.error(e), process.exit(1)));
