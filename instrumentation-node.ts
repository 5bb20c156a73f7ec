/**
 * Boot of a portal process. Configuration is parsed first so a bad value stops the boot with
 * one message; the database is opened (and migrated) so the first request does not pay for
 * it; bootstrap tenants are created; the embedded outbox worker starts unless WORKER_MODE=off.
 */
import { ConfigError, env } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";

function loadConfig() {
  try {
    return env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfig();
const db = await getDb();
if (config.BOOTSTRAP_TENANTS_FILE) {
  const { bootstrapTenants } = await import("@/lib/tenants/bootstrap-tenants");
  await bootstrapTenants(db, config.BOOTSTRAP_TENANTS_FILE);
}
if (config.WORKER_MODE === "embedded") {
  const { startWorker } = await import("@/lib/outbox/worker");
  startWorker(getDb, config.WORKER_POLL_MS, config.RECONCILE_INTERVAL_MS);
}
