/**
 * Boot of a portal process. Configuration is parsed first so a bad value stops the boot with
 * one message; the database is opened (and migrated) so the first request does not pay for
 * it; bootstrap tenants are created; the embedded outbox worker starts unless WORKER_MODE=off
 * (with the benchmark loop unless BENCHMARK_WORKER=0).
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
  const worker = startWorker(getDb, config.WORKER_POLL_MS, config.RECONCILE_INTERVAL_MS);
  // On SIGTERM (a rolling deploy) a running benchmark goes back to the queue instead of being
  // cut off mid-step and left "running" until its lease expires. Once only: the server's own
  // shutdown handlers run as well, and a second signal is not delayed by this one. A listener
  // disables Node's default exit, so when no one else handles the signal it is raised again
  // once the worker has stopped.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const alone = process.listenerCount(signal) === 0;
      void worker
        .stop()
        .catch(() => undefined)
        .finally(() => alone && process.kill(process.pid, signal));
    });
  }
}
