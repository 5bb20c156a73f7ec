import { SYNC_OPTIONS } from "./application";
import type { HealthStatus } from "./health";
import type { KindInfo } from "./registry";
import { kubeTimestamp } from "./store";
import type { KubeObject } from "./validate";

/**
 * Builders for `Application.status`, field for field as Argo CD 3.5 writes it (see
 * ../shared/reference/apis/argocd-application-with-status.yaml).
 */

export type SyncStatusCode = "Synced" | "OutOfSync" | "Unknown";
export type OperationPhase = "Running" | "Succeeded" | "Failed";

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status: SyncStatusCode;
  health?: HealthStatus;
  requiresPruning?: boolean;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: "Synced" | "SyncFailed" | "Pruned";
  message: string;
  hookPhase: "Running" | "Succeeded" | "Failed";
  syncPhase: "Sync";
}

export interface ApplicationSource {
  repoURL: string;
  path: string;
  targetRevision: string;
  directory?: { recurse: boolean };
}

export interface Destination {
  server: string;
  namespace: string;
}

export interface ApplicationStatus {
  sync?: { status: SyncStatusCode; revision?: string; comparedTo?: { source: ApplicationSource; destination: Destination } };
  health?: HealthStatus & { lastTransitionTime?: string };
  operationState?: OperationState;
  conditions?: Array<{ type: string; message: string; lastTransitionTime: string }>;
  resources?: ResourceStatus[];
  history?: Array<{ id: number; revision: string; deployedAt: string; deployStartedAt: string; source: ApplicationSource; initiatedBy: { automated: true } }>;
  summary?: { images?: string[] };
  sourceType?: string;
  reconciledAt?: string;
  controllerNamespace?: string;
}

export interface OperationState {
  operation: { sync: { revision: string; prune: boolean; syncOptions: string[] }; initiatedBy: { automated: true }; retry: Record<string, never> };
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  syncResult?: { resources?: ResourceResult[]; revision: string; source: ApplicationSource };
}

export function resourceStatus(kind: KindInfo, object: KubeObject, status: SyncStatusCode, health: HealthStatus | undefined): ResourceStatus {
  const version = object.apiVersion.slice(object.apiVersion.lastIndexOf("/") + 1);
  return {
    ...(kind.group ? { group: kind.group } : {}),
    version,
    kind: kind.kind,
    ...(kind.namespaced ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    status,
    ...(health ? { health } : {}),
  };
}

/** `deployment.apps/web created`, as kubectl and Argo CD's sync result print it. */
export function resourceMessage(kind: KindInfo, name: string, verb: string): string {
  return `${kind.kind.toLowerCase()}${kind.group ? `.${kind.group}` : ""}/${name} ${verb}`;
}

export function newOperation(revision: string, startedAt: string): OperationState {
  return {
    operation: { sync: { revision, prune: true, syncOptions: SYNC_OPTIONS }, initiatedBy: { automated: true }, retry: {} },
    phase: "Running",
    message: "one or more tasks are running",
    startedAt,
  };
}

/** Keeps lastTransitionTime stable while the health code stays the same. */
export function withTransition(previous: ApplicationStatus["health"], next: HealthStatus): NonNullable<ApplicationStatus["health"]> {
  const lastTransitionTime = previous?.status === next.status && previous.lastTransitionTime ? previous.lastTransitionTime : kubeTimestamp();
  return { ...next, lastTransitionTime };
}

/** Container images of workloads, for `status.summary.images`. */
export function collectImages(objects: KubeObject[]): string[] {
  const images = new Set<string>();
  const walk = (value: unknown, key?: string) => {
    if (Array.isArray(value)) {
      for (const item of value) {
        if ((key === "containers" || key === "initContainers") && item && typeof (item as { image?: unknown }).image === "string") {
          images.add((item as { image: string }).image);
        }
        walk(item);
      }
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const o of objects) walk(o.spec ?? o);
  return [...images].sort();
}
