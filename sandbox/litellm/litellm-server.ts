import { createServer, type Server, type ServerResponse } from "node:http";
import { BodyError, readJson } from "../http/body";
import { sendJson } from "../http/respond";
import { requireMasterKey } from "./auth";
import { LiteLLMError, RequestValidationError } from "./errors";
import { chatRoutes } from "./gateway/chat-route";
import { modelRoutes } from "./gateway/models-route";
import { RateLimiter } from "./rate-limiter";
import type { LiteLLMConfig, Route, RouteContext } from "./route-types";
import { matchRoute } from "./router";
import { healthRoutes } from "./routes/health";
import { keyMutationRoutes } from "./routes/key-mutations";
import { keyRoutes } from "./routes/keys";
import { modelInfoRoutes } from "./routes/model-info";
import { spendRoutes } from "./routes/spend";
import { teamRoutes } from "./routes/teams";
import type { LiteLLMStore } from "./store";

// Literal paths ("/key/regenerate") come before parameterized ones.
const ROUTES: readonly Route[] = [...healthRoutes, ...teamRoutes, ...keyRoutes, ...keyMutationRoutes, ...spendRoutes, ...modelInfoRoutes, ...chatRoutes, ...modelRoutes];

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof LiteLLMError) {
    sendJson(res, err.status, err.toBody(), err.headers);
  } else if (err instanceof RequestValidationError) {
    sendJson(res, 422, err.toBody());
  } else if (err instanceof BodyError) {
    sendJson(res, err.status, new LiteLLMError(err.status, "bad_request_error", err.message).toBody());
  } else {
    // Unknown failures: generic message, details only in the sandbox's own log.
    console.error("[sandbox litellm]", err);
    sendJson(res, 500, new LiteLLMError(500, "internal_server_error", "Internal Server Error").toBody());
  }
}

/** HTTP server speaking LiteLLM proxy's management API and OpenAI-compatible gateway. */
export function createLiteLLMServer(store: LiteLLMStore, config: LiteLLMConfig): Server {
  const limiter = new RateLimiter();
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const match = matchRoute(ROUTES, req.method ?? "GET", url.pathname);
    if (match === undefined) {
      sendJson(res, 404, { detail: "Not Found" });
      return;
    }
    if (match === "method-not-allowed") {
      sendJson(res, 405, { detail: "Method Not Allowed" });
      return;
    }
    let bodyPromise: Promise<unknown> | undefined;
    const ctx: RouteContext = {
      req,
      res,
      url,
      params: match.params,
      store,
      config,
      limiter,
      json: () => (bodyPromise ??= readJson(req)),
    };
    const run = async () => {
      if (match.route.auth === "master") requireMasterKey(req, config.masterKey);
      const result = await match.route.handler(ctx);
      if (result) sendJson(res, result.status ?? 200, result.body, result.headers);
    };
    run().catch((err: unknown) => sendError(res, err));
  });
}
