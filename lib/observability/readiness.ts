import { env } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { litellmFromEnv } from "@/lib/integrations/litellm/client";
import { prometheusFromEnv } from "@/lib/integrations/prometheus/client";
import { platformFromEnv } from "@/lib/requests/platform";

type Check = { name: string; status: "ok" | "down"; ms: number; required: boolean; message?: string };

async function timed(name: string, probe: () => Promise<unknown>, required = true): Promise<Check> {
  const started = performance.now();
  try {
    await probe();
    return { name, status: "ok", ms: Math.round(performance.now() - started), required };
  } catch (error) {
    return { name, status: "down", ms: Math.round(performance.now() - started), required, message: (error as Error).message };
  }
}

/**
 * Each dependency with its own status; ready only when every required one is up. Prometheus is
 * reported but not required: without it only the dashboards degrade (each says so), and taking
 * every replica out of service would also stop keys and approvals. Messages carry no secrets.
 */
export async function readiness() {
  const config = env();
  const checks = await Promise.all([
    timed("database", async () => (await getDb()).$queryRaw`SELECT 1`),
    timed("litellm", () => litellmFromEnv().health()),
    timed("github", () => platformFromEnv().repo.ping()),
    timed("kubernetes", () => platformFromEnv().argo.getApplication("inference-portal-readiness-probe")),
    timed("prometheus", () => prometheusFromEnv().ready(), false),
    timed("dex", async () => {
      const res = await fetch(`${config.DEX_ISSUER}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000), cache: "no-store" });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    }),
  ]);
  return { ready: checks.every((c) => c.status === "ok" || !c.required), checks };
}
