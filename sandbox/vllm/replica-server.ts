import { createServer, type Server } from "node:http";
import { BodyError, readJson } from "../http/body";
import { sendJson, sendText } from "../http/respond";
import { handleChatCompletion } from "./chat-handler";
import { handleCompletion } from "./completions-handler";
import type { ModelServer } from "./model-server";
import { errorBody } from "./openai-shapes";
import { renderFamilies } from "./prom-text";

/** What prometheus_client serves for the text format vLLM exposes. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * vLLM's OpenAI-compatible HTTP surface over one or more ModelServers: the API, /health,
 * /v1/models and /metrics on the same port, as `vllm serve` does.
 */
export function createModelHttpServer(servers: ReadonlyMap<string, ModelServer>): Server {
  const created = Math.floor(Date.now() / 1000);
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://sandbox").pathname;
    const route = `${req.method ?? "GET"} ${path}`;
    const run = async () => {
      switch (route) {
        case "GET /health":
          res.writeHead(200).end();
          return;
        case "GET /metrics":
          sendText(res, 200, renderFamilies([...servers.values()].flatMap((s) => s.metricFamilies())), PROMETHEUS_TEXT_CONTENT_TYPE);
          return;
        case "GET /v1/models":
          sendJson(res, 200, {
            object: "list",
            data: [...servers.values()].map((s) => ({
              id: s.name,
              object: "model",
              created,
              owned_by: "vllm",
              root: s.name,
              parent: null,
              max_model_len: s.options.maxModelLen,
            })),
          });
          return;
        case "POST /v1/chat/completions":
          await handleChatCompletion(await readJson(req), res, servers);
          return;
        case "POST /v1/completions":
          await handleCompletion(await readJson(req), res, servers);
          return;
        default:
          sendJson(res, 404, errorBody(404, "NotFoundError", `Not Found: ${path}`));
      }
    };
    run().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BodyError) {
        sendJson(res, err.status, errorBody(err.status, "BadRequestError", err.message));
        return;
      }
      sendText(res, 500, "Internal Server Error");
      console.error("[sandbox vllm]", err);
    });
  });
}

/** One vLLM pod: one served model behind its own HTTP server. */
export function createReplicaServer(server: ModelServer): Server {
  return createModelHttpServer(new Map([[server.name, server]]));
}
