import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxModel } from "../models";
import type { RateLimiter } from "./rate-limiter";
import type { LiteLLMStore } from "./store";

export interface LiteLLMConfig {
  masterKey: string;
  /** Base URL of the OpenAI-compatible model server the gateway forwards to. */
  upstreamUrl: string;
  models: readonly SandboxModel[];
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Readonly<Record<string, string>>;
  store: LiteLLMStore;
  config: LiteLLMConfig;
  limiter: RateLimiter;
  json(): Promise<unknown>;
}

export interface JsonResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A handler returns JSON to send, or undefined when it wrote the response itself (streams). */
export type RouteHandler = (ctx: RouteContext) => Promise<JsonResult | undefined> | JsonResult | undefined;

export interface Route {
  method: "GET" | "POST";
  /** Path with `:name` segments, e.g. "/key/:key/regenerate". */
  path: string;
  /** "master": management API; "public": health; gateway routes authenticate virtual keys themselves. */
  auth: "master" | "public" | "gateway";
  handler: RouteHandler;
}
