import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sendJson, sendText } from "../http/respond";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery";
import { sendNotFoundPath, sendStatus } from "./kube-status";
import { findResource, formatApiVersion, qualifiedResource, type KindInfo } from "./registry";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import type { ClusterStore } from "./store";
import type { KubeObject } from "./validate";
import { serveWatch } from "./watch";

/**
 * A read-only Kubernetes API server over the in-memory cluster: discovery, get, list (label and
 * field selectors, limit/continue) and watch, with `Status` errors. Bearer-token auth like a
 * service-account token; anonymous requests may read /version and the health endpoints only,
 * as the default `system:public-info-viewer` binding allows.
 */

export interface ApiServerOptions {
  store: ClusterStore;
  token: string;
}

const PUBLIC_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

export function createKubeApiServer(o: ApiServerOptions): Server {
  const expected = Buffer.from(`Bearer ${o.token}`);
  const authorized = (header: string | undefined) => {
    if (header === undefined) return undefined; // anonymous
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return createServer((req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname.replace(/\/+$/, "") || "/";
      const auth = authorized(req.headers.authorization);
      if (auth === false || (auth === undefined && !PUBLIC_PATHS.has(path))) {
        sendStatus(res, 401, "Unauthorized", "Unauthorized");
        return;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        // The cluster changes only through git (Argo CD), as in production.
        sendStatus(res, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        return;
      }
      route(req, res, url, path, o.store);
    } catch (err) {
      if (err instanceof SelectorError) sendStatus(res, 400, "BadRequest", err.message);
      else {
        console.error("cluster stand-in: request failed:", err);
        if (!res.headersSent) sendStatus(res, 500, "InternalError", "Internal error occurred");
      }
    }
  });
}

function route(req: IncomingMessage, res: ServerResponse, url: URL, path: string, store: ClusterStore): void {
  if (path === "/version") return sendJson(res, 200, versionInfo());
  if (PUBLIC_PATHS.has(path)) return sendText(res, 200, "ok");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "api") {
    if (parts.length === 1) return sendJson(res, 200, apiVersions(req.headers.host ?? "127.0.0.1"));
    if (parts[1] !== "v1") return sendNotFoundPath(res);
    if (parts.length === 2) return sendJson(res, 200, apiResourceList("", "v1"));
    return serveResource(res, url, store, "", "v1", parts.slice(2));
  }
  if (parts[0] === "apis") {
    if (parts.length === 1) return sendJson(res, 200, apiGroupList());
    const [, group, version] = parts as [string, string, string | undefined];
    if (!version) {
      const doc = apiGroup(group);
      return doc ? sendJson(res, 200, doc) : sendNotFoundPath(res);
    }
    if (parts.length === 3) {
      const doc = apiResourceList(group, version);
      return doc ? sendJson(res, 200, doc) : sendNotFoundPath(res);
    }
    return serveResource(res, url, store, group, version, parts.slice(3));
  }
  sendNotFoundPath(res);
}

/** `namespaces/{ns}/{plural}[/{name}[/status]]` or `{plural}[/{name}[/status]]`. */
function serveResource(res: ServerResponse, url: URL, store: ClusterStore, group: string, version: string, rest: string[]): void {
  const namespaced = rest[0] === "namespaces" && rest.length >= 3;
  const [namespace, plural, name, subresource, extra] = namespaced ? rest.slice(1) : [undefined, ...rest];
  const kind = plural ? findResource(group, version, plural) : undefined;
  if (!kind || extra !== undefined || (subresource !== undefined && subresource !== "status") || (namespace !== undefined && !kind.namespaced)) {
    return sendNotFoundPath(res);
  }
  const apiVersion = formatApiVersion(group, version);
  const present = (o: KubeObject): KubeObject => ({ ...o, apiVersion, kind: kind.kind });
  const q = url.searchParams;
  const watch = q.get("watch") === "1" || q.get("watch") === "true";

  if (name !== undefined && !watch) {
    if (kind.namespaced && namespace === undefined) return sendNotFoundPath(res);
    const object = store.get({ kind, namespace, name });
    if (!object) return notFound(res, kind, name);
    return sendJson(res, 200, present(object));
  }

  const labels = parseLabelSelector(q.get("labelSelector"));
  const fields = parseFieldSelector(q.get("fieldSelector"));
  // A watch on a named path (deprecated, still used) is a watch with a name field selector.
  const matches = (o: KubeObject) =>
    labels(o.metadata.labels) &&
    fields({ "metadata.name": o.metadata.name, "metadata.namespace": o.metadata.namespace ?? "" }) &&
    (name === undefined || o.metadata.name === name);

  if (watch) {
    return serveWatch(res, store, {
      kind,
      namespace,
      matches,
      present,
      apiVersion,
      resourceVersion: q.get("resourceVersion") ?? undefined,
      timeoutSeconds: Number(q.get("timeoutSeconds") ?? 0) || undefined,
      bookmarks: q.get("allowWatchBookmarks") === "true",
    });
  }
  serveList(res, store, kind, apiVersion, namespace, matches, present, q);
}

function serveList(
  res: ServerResponse,
  store: ClusterStore,
  kind: KindInfo,
  apiVersion: string,
  namespace: string | undefined,
  matches: (o: KubeObject) => boolean,
  present: (o: KubeObject) => KubeObject,
  q: URLSearchParams,
): void {
  const all = store.list({ group: kind.group, kind: kind.kind, namespace }).filter(matches);
  const offset = decodeContinue(q.get("continue"));
  if (offset === undefined) return sendStatus(res, 400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion");
  const limit = Number(q.get("limit") ?? 0);
  const end = limit > 0 ? offset + limit : all.length;
  const page = all.slice(offset, end);
  // Built-in lists carry apiVersion/kind on the list only; custom resources on every item.
  const builtIn = kind.schema.source === "core";
  const items = page.map((o) => {
    const shown = present(o);
    if (!builtIn) return shown;
    const { apiVersion: _a, kind: _k, ...rest } = shown;
    return rest;
  });
  const more = end < all.length;
  sendJson(res, 200, {
    kind: `${kind.kind}List`,
    apiVersion,
    metadata: { resourceVersion: String(store.resourceVersion), ...(more ? { continue: encodeContinue(end), remainingItemCount: all.length - end } : {}) },
    items,
  });
}

function notFound(res: ServerResponse, kind: KindInfo, name: string): void {
  sendStatus(res, 404, "NotFound", `${qualifiedResource(kind)} ${JSON.stringify(name)} not found`, {
    name,
    ...(kind.group ? { group: kind.group } : {}),
    kind: kind.plural,
  });
}

const encodeContinue = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

function decodeContinue(token: string | null): number | undefined {
  if (!token) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, "base64url").toString()) as { offset?: unknown }).offset;
    return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
