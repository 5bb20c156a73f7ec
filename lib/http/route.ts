import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { env } from "@/lib/config/env";
import { getDb, type Db } from "@/lib/db/client";
import { getPrincipal } from "@/lib/auth/session";
import type { Principal } from "@/lib/auth/principal";
import { litellmFromEnv, type LiteLLMClient } from "@/lib/integrations/litellm/client";
import { logger } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { AppError, toErrorBody } from "./errors";

export type RouteContext<P> = {
  req: NextRequest;
  params: P;
  principal: Principal;
  db: Db;
  litellm: LiteLLMClient;
  requestId: string;
};

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response | unknown>;

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const REQUEST_ID = /^[\w-]{8,64}$/;
const MAX_BODY_BYTES = 64 * 1024;

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/**
 * Cookie sessions make every state-changing route a CSRF target; next-auth only protects its
 * own routes. Browsers send Sec-Fetch-Site and Origin on cross-site requests, so either one
 * pointing elsewhere is refused. Non-browser clients send neither and carry no ambient cookie.
 */
function assertSameOrigin(req: NextRequest): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new AppError("forbidden", "Cross-site request refused");
  const origin = req.headers.get("origin");
  if (origin && origin !== new URL(env().PORTAL_URL).origin && origin !== req.nextUrl.origin) {
    throw new AppError("forbidden", "Cross-site request refused");
  }
}

export async function readJson(req: NextRequest): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("validation", "Request body too large");
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation", "Request body is not valid JSON");
  }
}

/**
 * The one gate for API route handlers: request id, same-origin check for writes, a signed-in
 * principal with fresh roles, error mapping to the single wire shape, metrics and one log line.
 */
export function route<P = Record<string, never>>(name: string, handler: Handler<P>) {
  return async (req: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const started = performance.now();
    const incoming = req.headers.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    let response: Response;
    let actor: string | undefined;
    try {
      if (MUTATING.has(req.method)) assertSameOrigin(req);
      const principal = await getPrincipal();
      if (!principal) throw new AppError("unauthenticated", "Sign in first");
      actor = principal.userId;
      const result = await handler({ req, params: await context.params, principal, db: await getDb(), litellm: litellmFromEnv(), requestId });
      response = result instanceof Response ? result : json(result);
    } catch (error) {
      const { status, body } = toErrorBody(error, requestId);
      if (status >= 500) logger.error("request failed", { route: name, requestId, error });
      response = json(body, status);
    }
    response.headers.set("x-request-id", requestId);
    const seconds = (performance.now() - started) / 1000;
    metrics().httpDuration.observe({ method: req.method, route: name, status: String(response.status) }, seconds);
    logger.info("request", { route: name, method: req.method, status: response.status, ms: Math.round(seconds * 1000), requestId, actor });
    return response;
  };
}
