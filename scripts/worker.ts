/**
 * A dedicated outbox worker (`npm run worker`) for deployments that run the portal with
 * WORKER_MODE=off. Needs DATABASE_URL: PGlite is owned by a single process.
 */
import { env } from "@/lib/config/env";
import { getDb, closeDb } from "@/lib/db/client";
import { startWorker } from "@/lib/outbox/worker";
import { logger } from "@/lib/observability/log";

const config = env();
if (!config.DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL (embedded PGlite can only be opened by the portal process).");
  process.exit(1);
}
const worker = startWorker(getDb, config.WORKER_POLL_MS, config.RECONCILE_INTERVAL_MS);
logger.info("outbox worker started");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await worker.stop();
    await closeDb();
    process.exit(0);
  });
}
