import { createServer, type Server } from "node:http";
import { BodyError, readJson } from "../http/body";
import { sendJson, sendText } from "../http/respond";
import type { SandboxModel } from "../models";
import { handleChatCompletion } from "./chat-handler";
import { ModelServer } from "./model-server";
import { errorBody } from "./openai-shapes";

export interface VllmSimulatorOptions {
  models: readonly SandboxModel[];
  tokenDelayMs: number;
}

export interface VllmSimulator {
  server: Server;
  /** One ModelServer per served model, keyed by served model name. */
  modelServers: ReadonlyMap<string, ModelServer>;
}

/**
 * OpenAI-compatible model-server simulator. One process serves every sandbox
 * model, each through its own ModelServer, the way a fleet of vLLM pods sits
 * behind the gateway.
 */
export function createVllmSimulator(options: VllmSimulatorOptions): VllmSimulator {
  const created = Math.floor(Date.now() / 1000);
  const modelServers = new Map(
    options.models.map((m) => [
      m.servedModelName,
      new ModelServer({ servedModelName: m.servedModelName, maxModelLen: m.maxModelLen, tokenDelayMs: options.tokenDelayMs }),
    ]),
  );

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://sandbox").pathname;
    const route = `${req.method ?? "GET"} ${path}`;
    const run = async () => {
      switch (route) {
        case "GET /health":
          res.writeHead(200).end();
          return;
        case "GET /v1/models":
          sendJson(res, 200, {
            object: "list",
            data: [...modelServers.values()].map((s) => ({
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
          await handleChatCompletion(await readJson(req), res, modelServers);
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

  return { server, modelServers };
}
