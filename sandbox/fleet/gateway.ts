import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { isDns1123Label } from "../cluster/object-meta";
import { BodyError, readBody } from "../http/body";
import { sendJson, sendText } from "../http/respond";
import { errorBody } from "../vllm/openai-shapes";
import { FlowControlQueues } from "./flow-control";
import type { Fleet, ReplicaEndpoint } from "./types";

/**
 * The inference gateway with the Gateway API Inference Extension's endpoint picker: per request
 * it reads `model`, picks a ready replica of a deployment serving it (the caller's tenant's
 * first) by least queue, then running batch, then KV-cache use, and proxies the request
 * unchanged, SSE included. A model nobody deployed goes to the shared simulator (`fallbackUrl`),
 * so key journeys work without deployments. A model whose deployments have no ready replica
 * (scaled to zero, loading) waits in flow control until one is ready or `maxQueueWaitMs` passes.
 */

/** The LiteLLM stand-in puts the caller's team (the tenant slug, its namespace) here. */
export const TENANT_HEADER = "x-gateway-tenant";

export interface GatewayOptions {
  fleet: Fleet;
  fallbackUrl: string;
  /** Longest a request waits for a ready replica; default 60 s. */
  maxQueueWaitMs?: number;
}

const bodySchema = z.looseObject({ model: z.string().min(1).max(256) });
// Chat histories can be long; the cap still keeps a runaway client from exhausting memory.
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;
// Dispatched requests count as waiting on their replica until it has surely seen them.
const DISPATCH_GRACE_MS = 25;
const ROUTES = new Set(["/v1/chat/completions", "/v1/completions"]);

export function createGateway(options: GatewayOptions): Server {
  const { fleet } = options;
  const maxWaitMs = options.maxQueueWaitMs ?? 60_000;
  const queues = new FlowControlQueues();
  const dispatched = new Map<string, number>();
  fleet.setEppMetrics((namespace, pool) => queues.render(namespace, pool, fleet));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    if (req.method === "GET" && path === "/health") return sendText(res, 200, "OK");
    if (req.method !== "POST" || !ROUTES.has(path)) return sendJson(res, 404, errorBody(404, "NotFoundError", `Not Found: ${path}`));
    const raw = await readBody(req, BODY_LIMIT_BYTES);
    let parsed: z.infer<typeof bodySchema>;
    try {
      parsed = bodySchema.parse(JSON.parse(raw));
    } catch {
      return sendJson(res, 400, errorBody(400, "BadRequestError", "Request body must be a JSON object with a string `model`"));
    }
    const model = parsed.model;
    const headerTenant = req.headers[TENANT_HEADER];
    // Only a DNS label can be a namespace; anything else is ignored rather than trusted.
    const tenant = typeof headerTenant === "string" && isDns1123Label(headerTenant) ? headerTenant : undefined;

    const workloads = fleet.replicas().filter((w) => w.model === model);
    if (workloads.length === 0) return proxy(options.fallbackUrl, path, raw, req, res);

    const pick = () => fleet.pickReplica(model, tenant, (pod) => dispatched.get(pod) ?? 0);
    let endpoint = pick();
    if (!endpoint) {
      const own = workloads.filter((w) => w.namespace === tenant);
      const target = (own.length ? own : workloads)[0]!;
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      endpoint = await queues.hold(
        { namespace: target.namespace, pool: target.pool, fairnessId: tenant ?? "default", priority: "0", modelName: model, targetModelName: model },
        Buffer.byteLength(raw),
        fleet,
        pick,
        maxWaitMs,
        abort.signal,
      );
      if (abort.signal.aborted) return;
      if (!endpoint) {
        return sendJson(
          res,
          503,
          errorBody(503, "ServiceUnavailableError", `No ready replica of ${model} in ${target.namespace}/${target.pool} after ${Math.round(maxWaitMs / 1000)} s: the model is scaling up or still loading. Retry later.`),
        );
      }
    }
    return dispatch(endpoint, path, raw, req, res);
  };

  const dispatch = (endpoint: ReplicaEndpoint, path: string, raw: string, req: IncomingMessage, res: ServerResponse) => {
    dispatched.set(endpoint.pod, (dispatched.get(endpoint.pod) ?? 0) + 1);
    let counted = true;
    const settle = () => {
      if (!counted) return;
      counted = false;
      const n = (dispatched.get(endpoint.pod) ?? 1) - 1;
      if (n > 0) dispatched.set(endpoint.pod, n);
      else dispatched.delete(endpoint.pod);
    };
    setTimeout(settle, DISPATCH_GRACE_MS).unref();
    res.setHeader("x-gateway-destination-endpoint", `${endpoint.namespace}/${endpoint.pod}`);
    return proxy(endpoint.url, path, raw, req, res, settle);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyError) return sendJson(res, err.status, errorBody(err.status, "BadRequestError", err.message));
      sendJson(res, 500, errorBody(500, "InternalServerError", "gateway error"));
      console.error("[sandbox gateway]", err);
    });
  });
  return server;
}

/** Streams the upstream response through as it arrives (SSE stays incremental). */
function proxy(baseUrl: string, path: string, raw: string, req: IncomingMessage, res: ServerResponse, onResponse?: () => void): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(path, baseUrl);
    const upstream = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(raw), accept: req.headers.accept ?? "*/*" } },
      (upstreamRes) => {
        onResponse?.();
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(upstreamRes.headers)) if (v !== undefined && k !== "connection" && k !== "keep-alive" && k !== "transfer-encoding") headers[k] = v;
        res.writeHead(upstreamRes.statusCode ?? 502, headers);
        upstreamRes.pipe(res);
        upstreamRes.on("end", () => resolve());
        upstreamRes.on("error", () => {
          res.destroy();
          resolve();
        });
      },
    );
    // A client that goes away aborts the upstream request, so the replica stops generating.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on("error", () => {
      onResponse?.();
      if (!res.headersSent) sendJson(res, 502, errorBody(502, "BadGatewayError", `upstream ${url.host} unreachable`));
      else res.destroy();
      resolve();
    });
    upstream.end(raw);
  });
}
