import type { IncomingMessage, ServerResponse } from "node:http";
import type { GitHubBackend } from "./backend";
import type { Links } from "./links";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path after the base path / `/api/v3` prefix, as matched. */
  path: string;
  params: Readonly<Record<string, string>>;
  backend: GitHubBackend;
  links: Links;
  /** The parsed JSON body (read once, on first call). */
  json(): Promise<unknown>;
}

export interface JsonResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A handler returns JSON to send, or undefined when it wrote the response itself. */
export type RouteHandler = (ctx: RouteContext) => Promise<JsonResult | undefined> | JsonResult | undefined;

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** `:name` matches one segment, `*name` the rest of the path (refs and file paths contain slashes). */
  path: string;
  /**
   * "token": static or installation token; "app": app JWT; "none": sandbox
   * control, loopback callers only; "public": pages for browsers (avatars, PR page).
   */
  auth: "token" | "app" | "none" | "public";
  /** The OpenAPI operation this route implements, e.g. "GET /repos/{owner}/{repo}"; the contract test uses it. */
  operation?: string;
  /** docs.github.com page for error bodies' documentation_url. */
  docs?: string;
  handler: RouteHandler;
}
