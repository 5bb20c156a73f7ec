import type { ServerResponse } from "node:http";
import { kubeStatus } from "./kube-status";
import type { KindInfo } from "./registry";
import type { ClusterStore, StoreEvent, WatchEventType } from "./store";
import type { KubeObject } from "./validate";

/**
 * A watch stream: one JSON object per line, `{"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR",
 * "object": …}`. Without a resourceVersion (or "0") it starts with synthetic ADDED events for
 * what exists; with one, it replays history after it, or sends 410 Expired when that history
 * is gone, exactly the cases client-go/client-node informers handle.
 */

export interface WatchRequest {
  kind: KindInfo;
  namespace?: string;
  matches: (object: KubeObject) => boolean;
  present: (object: KubeObject) => KubeObject;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  apiVersion: string;
}

const BOOKMARK_INTERVAL_MS = 5_000;

export function serveWatch(res: ServerResponse, store: ClusterStore, w: WatchRequest): void {
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache, private", "transfer-encoding": "chunked" });
  // Clients wait for the headers before they consider the watch established; Node would hold
  // them back until the first event, which may never come for a quiet resource.
  res.flushHeaders();
  const send = (type: WatchEventType | "BOOKMARK" | "ERROR", object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
  const inScope = (o: KubeObject) => (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.matches(o);

  // An object that starts or stops matching the selector is ADDED/DELETED for this watcher.
  const forward = (e: StoreEvent) => {
    if (e.kind.group !== w.kind.group || e.kind.kind !== w.kind.kind) return;
    const now = e.type !== "DELETED" && inScope(e.object);
    const before = e.previous ? inScope(e.previous) : false;
    if (now) send(before ? "MODIFIED" : "ADDED", w.present(e.object));
    else if (before) send("DELETED", w.present(e.object));
  };

  const rv = w.resourceVersion;
  if (!rv || rv === "0") {
    for (const o of store.list({ group: w.kind.group, kind: w.kind.kind, namespace: w.namespace })) if (w.matches(o)) send("ADDED", w.present(o));
  } else {
    const since = Number(rv);
    const events = Number.isInteger(since) ? store.eventsSince(since) : "expired";
    if (events === "expired") {
      send("ERROR", kubeStatus(410, "Expired", `too old resource version: ${rv} (${store.resourceVersion})`));
      res.end();
      return;
    }
    for (const e of events) forward(e);
  }

  const unsubscribe = store.subscribe(forward);
  const timers: NodeJS.Timeout[] = [];
  if (w.bookmarks) {
    const bookmark = () => ({ kind: w.kind.kind, apiVersion: w.apiVersion, metadata: { resourceVersion: String(store.resourceVersion) } });
    timers.push(setInterval(() => send("BOOKMARK", bookmark()), BOOKMARK_INTERVAL_MS));
  }
  if (w.timeoutSeconds && w.timeoutSeconds > 0) timers.push(setTimeout(() => res.end(), w.timeoutSeconds * 1000));
  const cleanup = () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
  };
  res.on("close", cleanup);
  res.on("finish", cleanup);
}
