import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { KindInfo } from "./registry";
import type { KubeObject } from "./validate";

/**
 * The in-memory cluster: objects keyed like etcd keys them (group, kind, namespace, name — one
 * stored version per kind), a cluster-wide resourceVersion and a bounded event history so that
 * a watch can resume from a resourceVersion as with a real API server.
 *
 * Stored objects are frozen snapshots: every change stores a new one. Readers may keep or share
 * them freely; to change one, clone it (`structuredClone`).
 */

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  kind: KindInfo;
  object: KubeObject;
  /** The object before a MODIFIED/DELETED event. */
  previous?: KubeObject;
  resourceVersion: number;
}

export interface ObjectRef {
  kind: Pick<KindInfo, "group" | "kind">;
  namespace?: string;
  name: string;
}

export interface ListFilter {
  group?: string;
  kind?: string;
  namespace?: string;
  labels?: (labels: Record<string, string> | undefined) => boolean;
  where?: (object: KubeObject, kind: KindInfo) => boolean;
}

export type ApplyAction = "created" | "configured" | "unchanged";
type Listener = (event: StoreEvent) => void;

const HISTORY_LIMIT = 5000;
const SERVER_FIELDS = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"] as const;

const keyOf = (group: string, kind: string, namespace: string | undefined, name: string) => `${group}/${kind}/${namespace ?? ""}/${name}`;
export const objectKey = (ref: ObjectRef) => keyOf(ref.kind.group, ref.kind.kind, ref.namespace, ref.name);

export const kubeTimestamp = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Everything apply compares: the object minus status and server-set metadata. */
function desiredPart(object: KubeObject): unknown {
  const { status: _status, metadata, ...rest } = object;
  const meta: Record<string, unknown> = { ...metadata };
  for (const f of SERVER_FIELDS) delete meta[f];
  return { ...rest, metadata: meta };
}

function specPart(object: KubeObject): unknown {
  const { status: _status, metadata: _metadata, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

export class ClusterStore {
  private readonly objects = new Map<string, { object: KubeObject; kind: KindInfo }>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private rv = 1;

  /** The current cluster-wide resourceVersion (what a List returns in metadata). */
  get resourceVersion(): number {
    return this.rv;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Alias of subscribe in EventEmitter style: `store.on("change", fn)`. */
  on(_event: "change", listener: Listener): () => void {
    return this.subscribe(listener);
  }

  get(ref: ObjectRef): KubeObject | undefined {
    return this.objects.get(objectKey(ref))?.object;
  }

  list(filter: ListFilter = {}): KubeObject[] {
    return this.entries(filter).map((e) => e.object);
  }

  /** Like list, with each object's kind info. */
  entries(filter: ListFilter = {}): Array<{ object: KubeObject; kind: KindInfo }> {
    const out: Array<{ object: KubeObject; kind: KindInfo }> = [];
    for (const entry of this.objects.values()) {
      const { object, kind } = entry;
      if (filter.group !== undefined && kind.group !== filter.group) continue;
      if (filter.kind !== undefined && kind.kind !== filter.kind) continue;
      if (filter.namespace !== undefined && object.metadata.namespace !== filter.namespace) continue;
      if (filter.labels && !filter.labels(object.metadata.labels)) continue;
      if (filter.where && !filter.where(object, kind)) continue;
      out.push(entry);
    }
    return out.sort((a, b) => objectKey({ kind: a.kind, ...a.object.metadata }).localeCompare(objectKey({ kind: b.kind, ...b.object.metadata })));
  }

  /**
   * Creates or replaces an object like `kubectl apply` of a whole manifest: server-set metadata
   * and status are kept, generation moves when anything but metadata changes.
   */
  apply(input: KubeObject, kind: KindInfo): { action: ApplyAction; object: KubeObject } {
    const key = keyOf(kind.group, kind.kind, input.metadata.namespace, input.metadata.name);
    const existing = this.objects.get(key)?.object;
    if (existing && isDeepStrictEqual(desiredPart(existing), desiredPart(input))) return { action: "unchanged", object: existing };
    const object = structuredClone(input);
    delete object.status;
    for (const f of SERVER_FIELDS) delete object.metadata[f];
    // Custom resources and objects with a spec track generation; ConfigMaps, Secrets, RBAC… do not.
    const tracksGeneration = kind.schema.source === "crd" || "spec" in object;
    if (existing) {
      object.metadata.uid = existing.metadata.uid;
      object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      const changed = !isDeepStrictEqual(specPart(existing), specPart(object));
      if (tracksGeneration) object.metadata.generation = Number(existing.metadata.generation ?? 1) + (changed ? 1 : 0);
      if (existing.status !== undefined) object.status = structuredClone(existing.status);
    } else {
      object.metadata.uid = randomUUID();
      object.metadata.creationTimestamp = kubeTimestamp();
      if (tracksGeneration) object.metadata.generation = 1;
    }
    this.commit(key, kind, object, existing ? "MODIFIED" : "ADDED", existing);
    return { action: existing ? "configured" : "created", object: this.get({ kind, ...input.metadata })! };
  }

  /** Replaces the status subresource (what controllers and simulators write). */
  updateStatus(ref: ObjectRef, status: unknown): KubeObject | undefined {
    const key = objectKey(ref);
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    if (isDeepStrictEqual(entry.object.status, status)) return entry.object;
    const object = { ...structuredClone(entry.object), status: structuredClone(status) } as KubeObject;
    this.commit(key, entry.kind, object, "MODIFIED", entry.object);
    return this.objects.get(key)!.object;
  }

  delete(ref: ObjectRef): KubeObject | undefined {
    const key = objectKey(ref);
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    this.objects.delete(key);
    const object = { ...structuredClone(entry.object) } as KubeObject;
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    this.publish({ type: "DELETED", kind: entry.kind, object: deepFreeze(object), previous: entry.object, resourceVersion: this.rv });
    return object;
  }

  /**
   * Events after `resourceVersion`, or "expired" when the history no longer reaches back that
   * far (the API server's 410 Gone, after which a client relists).
   */
  eventsSince(resourceVersion: number): StoreEvent[] | "expired" {
    const oldest = this.history[0];
    if (oldest && resourceVersion < oldest.resourceVersion - 1) return "expired";
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  private commit(key: string, kind: KindInfo, object: KubeObject, type: WatchEventType, previous?: KubeObject): void {
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    const frozen = deepFreeze(object);
    this.objects.set(key, { object: frozen, kind });
    this.publish({ type, kind, object: frozen, previous, resourceVersion: this.rv });
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error("cluster store listener failed:", err);
      }
    }
  }
}
