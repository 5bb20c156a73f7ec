import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/config/env";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

function authorized(header: string | null, token: string | undefined): boolean {
  if (!token) return true; // scraped on the pod network; set METRICS_BEARER_TOKEN to require a token
  const given = Buffer.from(header ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function GET(req: Request) {
  if (!authorized(req.headers.get("authorization"), env().METRICS_BEARER_TOKEN)) {
    return new Response("unauthorized\n", { status: 401 });
  }
  const registry = metrics().registry;
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}
