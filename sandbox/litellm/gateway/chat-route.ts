import { randomUUID } from "node:crypto";
import type { SandboxModel } from "../../models";
import { badRequest } from "../errors";
import type { JsonResult, Route, RouteContext } from "../route-types";
import { checkBudgets, checkModelAccess, rateLimitScopes, resolveModel } from "./access";
import { authenticateCaller, type Caller } from "./caller";
import { type CallUsage, spendLogRow } from "./spend-log";
import { relaySse } from "./sse-relay";
import { callUpstream } from "./upstream";

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

interface Booking {
  ctx: RouteContext;
  caller: Caller;
  model: SandboxModel;
  body: JsonObject;
  scopes: ReturnType<typeof rateLimitScopes>;
  startTime: Date;
}

/** Writes spend to key, team and spend logs; returns the call's cost. */
function book(b: Booking, requestId: string, usage: CallUsage, completionStartTime: Date): number {
  const metadata = isObject(b.body.metadata) ? b.body.metadata : {};
  const row = spendLogRow({
    requestId,
    caller: b.caller,
    model: b.model,
    apiBase: b.ctx.config.upstreamUrl,
    usage,
    startTime: b.startTime,
    completionStartTime,
    endTime: new Date(),
    endUser: typeof b.body.user === "string" ? b.body.user : null,
    spendLogsMetadata: metadata.spend_logs_metadata,
  });
  b.ctx.store.recordSpend(row, b.model.id);
  b.ctx.limiter.addTokens(b.scopes, row.total_tokens);
  return row.spend;
}

async function chatCompletion(ctx: RouteContext): Promise<JsonResult | undefined> {
  const { req, res, store, config } = ctx;
  const caller = authenticateCaller(req, store, config.masterKey);
  const body = await ctx.json();
  if (!isObject(body)) throw badRequest("Request body must be a JSON object");
  const model = resolveModel(body.model, config.models);
  checkModelAccess(caller, model.id);
  checkBudgets(caller);
  const scopes = rateLimitScopes(caller);
  ctx.limiter.admit(scopes);

  const stream = body.stream === true;
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  // `metadata` is LiteLLM's own request field and is not sent to the provider.
  const { metadata: _metadata, ...forwarded } = body;
  const upstreamBody = {
    ...forwarded,
    model: model.servedModelName,
    ...(stream ? { stream_options: { ...streamOptions, include_usage: true } } : {}),
  };

  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const booking: Booking = { ctx, caller, model, body, scopes, startTime: new Date() };
  // The inference gateway prefers the tenant's own replicas: the team id is the tenant slug.
  const tenant = caller.kind === "key" ? caller.team?.team_id : undefined;
  const upstream = await callUpstream(config.upstreamUrl, upstreamBody, abort.signal, tenant ? { "x-gateway-tenant": tenant } : {});
  const callId = randomUUID();

  if (!stream || !upstream.body) {
    const completion = (await upstream.json()) as JsonObject & { id?: string; usage?: CallUsage };
    const cost = completion.usage ? book(booking, completion.id ?? callId, completion.usage, new Date()) : 0;
    return {
      body: { ...completion, model: model.id },
      headers: { "x-litellm-call-id": callId, "x-litellm-response-cost": String(cost), "x-litellm-model-group": model.id },
    };
  }

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-litellm-call-id": callId,
    "x-litellm-model-group": model.id,
  });
  try {
    const relayed = await relaySse(upstream.body, res, {
      publicModel: model.id,
      clientWantsUsage: streamOptions.include_usage === true,
    });
    if (relayed.usage) book(booking, relayed.requestId ?? callId, relayed.usage, relayed.firstTokenAt ?? new Date());
  } catch (err) {
    if (abort.signal.aborted) return undefined;
    const message = err instanceof Error ? err.message : String(err);
    res.write(`data: ${JSON.stringify({ error: { message: `litellm.APIError: ${message}`, type: "internal_server_error", param: null, code: "500" } })}\n\n`);
  }
  res.end();
  return undefined;
}

export const chatRoutes: Route[] = [
  { method: "POST", path: "/v1/chat/completions", auth: "gateway", handler: chatCompletion },
  { method: "POST", path: "/chat/completions", auth: "gateway", handler: chatCompletion },
];
