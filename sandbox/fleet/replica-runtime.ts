import { createServer, type Server } from "node:http";
import type { GpuTypeId } from "../../lib/catalog/gpus";
import { BodyError, readJson } from "../http/body";
import { sendJson, sendText } from "../http/respond";
import { handleChatCompletion } from "../vllm/chat-handler";
import { ModelServer } from "../vllm/model-server";
import { errorBody } from "../vllm/openai-shapes";
import { PROMETHEUS_CONTENT_TYPE } from "./exposition";

/**
 * The model server behind one simulated pod. The fleet only needs an HTTP server (OpenAI API,
 * /health, /metrics) and a load snapshot; the physics belong to the vLLM simulator.
 */
export interface ReplicaSnapshot {
  running: number;
  waiting: number;
  /** 0..1 */
  kvCacheUsage: number;
  /** Share of time the GPUs are busy, 0..1 (drives DCGM utilization). */
  gpuBusy: number;
}

export interface ReplicaRuntime {
  server: Server;
  snapshot(): ReplicaSnapshot;
}

export interface ReplicaRuntimeSpec {
  servedModelName: string;
  maxModelLen: number;
  gpuType: GpuTypeId | undefined;
  gpusPerReplica: number;
}

export type ReplicaRuntimeFactory = (spec: ReplicaRuntimeSpec) => ReplicaRuntime;

// Until the batching simulator lands: a replica is saturated by this many concurrent streams.
const BATCH_SATURATION = 4;

/**
 * Interim runtime on the constant-pace ModelServer (to be replaced by the batching simulator's
 * `createReplicaServer(new ModelServer({ ..., profile }))`): one served model per server.
 */
export const defaultReplicaRuntime: ReplicaRuntimeFactory = (spec) => {
  const model = new ModelServer({ servedModelName: spec.servedModelName, maxModelLen: spec.maxModelLen, tokenDelayMs: 5 });
  const servers = new Map([[spec.servedModelName, model]]);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://replica").pathname;
    const run = async () => {
      if (req.method === "GET" && path === "/health") return void res.writeHead(200).end();
      if (req.method === "GET" && path === "/metrics") {
        const name = JSON.stringify(spec.servedModelName);
        return sendText(
          res,
          200,
          `# HELP vllm:num_requests_running Number of requests in model execution batches.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name=${name}} ${model.running}\n` +
            `# HELP vllm:num_requests_waiting Number of requests waiting to be processed.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name=${name}} 0\n`,
          PROMETHEUS_CONTENT_TYPE,
        );
      }
      if (req.method === "POST" && path === "/v1/chat/completions") return handleChatCompletion(await readJson(req), res, servers);
      sendJson(res, 404, errorBody(404, "NotFoundError", `Not Found: ${path}`));
    };
    run().catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyError) return sendJson(res, err.status, errorBody(err.status, "BadRequestError", err.message));
      sendText(res, 500, "Internal Server Error");
    });
  });
  return {
    server,
    snapshot: () => ({ running: model.running, waiting: 0, kvCacheUsage: Math.min(1, model.running / 16), gpuBusy: Math.min(1, model.running / BATCH_SATURATION) }),
  };
};
