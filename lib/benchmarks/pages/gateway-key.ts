import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { LiteLLMClient } from "@/lib/integrations/litellm/client";
import { newKeySecret } from "@/lib/keys/secret";
import { logger } from "@/lib/observability/log";

// Minutes beyond the run's bound before LiteLLM expires the key by itself: a worker that dies
// mid-run and never deletes it leaves a key that dies anyway, shortly after the run could have.
const EXPIRY_SLACK_MIN = 5;
const WATCH_MS = 2_000;

const runRow = z.object({
  tenantId: z.string().nullable(),
  endpointKind: z.string().nullable(),
  config: z.object({ runner: z.object({ model: z.string() }), limits: z.object({ maxDurationMs: z.number() }) }).loose(),
});

/**
 * The API key of a gateway run: minted for the run's tenant team (so the traffic is that
 * tenant's, within its models and budget), allowed only the measured model, expiring shortly
 * after the run's bound, and deleted as soon as the run is no longer queued or running (a
 * watcher, so executeRun needs no extra hook). The secret lives only in this closure: never
 * stored with the run, never logged, never shown. Pass `apiKey` to startBenchmarkLoop.
 */
export function gatewayKeyHooks(getDb: () => Promise<Db>, litellm: LiteLLMClient, watchMs = WATCH_MS) {
  const release = async (runId: string, secret: string) => {
    // A failed delete is worth a warning, never the secret (an upstream error may quote it).
    await litellm.deleteKeys([secret]).catch(() => logger.warn("benchmark key delete failed; it expires by itself", { runId }));
  };
  return {
    apiKey: async (runId: string): Promise<string | undefined> => {
      const db = await getDb();
      const row = runRow.safeParse(await db.benchmarkRun.findUnique({ where: { id: runId }, select: { tenantId: true, endpointKind: true, config: true } }));
      if (!row.success || row.data.endpointKind !== "gateway" || !row.data.tenantId) return undefined;
      const { secret } = newKeySecret();
      const minutes = Math.ceil(row.data.config.limits.maxDurationMs / 60_000) + EXPIRY_SLACK_MIN;
      await litellm.generateKey({
        key: secret, key_alias: `benchmark-${runId}`, team_id: row.data.tenantId, models: [row.data.config.runner.model], duration: `${minutes}m`,
        metadata: { purpose: "benchmark", benchmark_run_id: runId, managed_by: "inference-portal" },
      });
      const watch = setInterval(() => {
        void db.benchmarkRun.findUnique({ where: { id: runId }, select: { status: true } }).then(async (r) => {
          if (r && (r.status === "queued" || r.status === "running")) return;
          clearInterval(watch);
          await release(runId, secret);
        }, () => undefined);
      }, watchMs);
      watch.unref();
      return secret;
    },
  };
}
