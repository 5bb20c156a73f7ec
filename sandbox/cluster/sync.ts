import { isDeepStrictEqual } from "node:util";
import { trackedBy, trackingId, TRACKING_ANNOTATION } from "./application";
import type { Manifest } from "./manifests";
import { findKind, type KindInfo } from "./registry";
import type { ClusterStore } from "./store";
import { validateObject, type KubeObject } from "./validate";
import type { SchemaCatalog } from "./schemas";

/**
 * What a sync operation would apply, checked like `kubectl apply --dry-run=server` — Argo CD
 * dry-runs every resource before applying any, so one invalid object fails the whole sync.
 */

export interface PlannedObject {
  kind: KindInfo;
  object: KubeObject;
  source: string;
}

export interface PlanError {
  message: string;
  /** The object the error is about, when it could be identified. */
  ref?: { kind: KindInfo; namespace?: string; name: string; apiVersion: string };
}

export interface SyncPlan {
  objects: PlannedObject[];
  errors: PlanError[];
}

export interface PlanContext {
  appName: string;
  destinationNamespace: string;
  store: ClusterStore;
  catalog: SchemaCatalog;
  /** Namespaces that exist without being in the manifests (system ones, CreateNamespace=true). */
  implicitNamespaces: string[];
}

export function planSync(manifests: Manifest[], ctx: PlanContext): SyncPlan {
  const objects: PlannedObject[] = [];
  const errors: PlanError[] = [];
  const seen = new Set<string>();
  for (const m of manifests) {
    const result = validateObject(m.object, ctx.catalog);
    if (!result.ok) {
      errors.push(...result.errors.map((message) => ({ message, ref: refOf(m.object) })));
      continue;
    }
    const { object, kind } = result;
    if (kind.namespaced) object.metadata.namespace ??= ctx.destinationNamespace;
    const ref = { kind, namespace: object.metadata.namespace, name: object.metadata.name, apiVersion: object.apiVersion };
    const key = `${kind.group}/${kind.kind}/${ref.namespace ?? ""}/${ref.name}`;
    if (seen.has(key)) {
      errors.push({ message: `${m.source}: ${kind.kind}/${ref.name} is defined more than once in the application`, ref });
      continue;
    }
    seen.add(key);
    const owner = existingOwner(ctx.store, kind, ref.namespace, ref.name);
    if (owner && owner !== ctx.appName) {
      // Argo CD only warns (SharedResourceWarning) and lets the last sync win; the stand-in
      // refuses, since two tenants writing one object is always a template bug here.
      errors.push({ message: `${kind.kind}/${ref.name} is part of applications argocd/${owner} and ${ctx.appName}`, ref });
      continue;
    }
    object.metadata.annotations = { ...object.metadata.annotations, [TRACKING_ANNOTATION]: trackingId(ctx.appName, kind, ref.namespace, ref.name) };
    objects.push({ kind, object, source: m.source });
  }

  const namespaces = new Set([
    ...ctx.implicitNamespaces,
    ...ctx.store.list({ group: "", kind: "Namespace" }).map((n) => n.metadata.name),
    ...objects.filter((o) => o.kind.kind === "Namespace" && o.kind.group === "").map((o) => o.object.metadata.name),
  ]);
  for (const o of objects) {
    const ns = o.object.metadata.namespace;
    if (o.kind.namespaced && ns && !namespaces.has(ns)) {
      const ref = { kind: o.kind, namespace: ns, name: o.object.metadata.name, apiVersion: o.object.apiVersion };
      errors.push({ message: `namespaces ${JSON.stringify(ns)} not found`, ref });
    }
  }
  return { objects: objects.sort((a, b) => applyRank(a.kind) - applyRank(b.kind)), errors };
}

function existingOwner(store: ClusterStore, kind: KindInfo, namespace: string | undefined, name: string): string | undefined {
  const live = store.get({ kind, namespace, name });
  return live ? trackedBy(live) : undefined;
}

function refOf(object: Record<string, unknown>): PlanError["ref"] {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? findKind(apiVersion, object.kind) : undefined;
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (!kind || typeof metadata.name !== "string") return undefined;
  return { kind, apiVersion, name: metadata.name, namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined };
}

/** gitops-engine's kind order within a sync wave: namespaces and config before workloads. */
const ORDER = [
  "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount",
  "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
  "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
  "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
  "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
];
function applyRank(kind: KindInfo): number {
  const i = kind.group === "" || !kind.group.includes(".") || kind.group.endsWith(".k8s.io") ? ORDER.indexOf(kind.kind) : -1;
  return i < 0 ? ORDER.length : i;
}

/** True when the live object already matches what would be applied. */
export function isUpToDate(live: KubeObject | undefined, planned: KubeObject): boolean {
  if (!live) return false;
  const strip = (o: KubeObject) => {
    const { status: _s, metadata, ...rest } = o;
    const { uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, managedFields: _m, ...meta } = metadata;
    return { ...rest, metadata: meta };
  };
  return isDeepStrictEqual(strip(live), strip(planned));
}
