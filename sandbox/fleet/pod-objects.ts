import { GPU_RESOURCE } from "../../lib/catalog/gpus";
import { kubeTimestamp } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import type { Placement } from "./scheduler";
import type { WorkloadSpec } from "./workloads";

/** One simulated pod's lifecycle facts; the v1 Pod object is rendered from them. */
export interface SimPod {
  name: string;
  /** The first pod of a replica serves the API; LWS workers only hold GPUs. */
  role: "server" | "worker";
  createdAt: string;
  placement?: Placement;
  podIP?: string;
  hostIP?: string;
  startedAt?: string;
  readyAt?: string;
  /** Set while the pod drains (metadata.deletionTimestamp). */
  deletingAt?: string;
  unschedulable?: string;
  groupIndex?: number;
  workerIndex?: number;
}

export const LWS_NAME_LABEL = "leaderworkerset.sigs.k8s.io/name";
export const LWS_GROUP_LABEL = "leaderworkerset.sigs.k8s.io/group-index";
export const LWS_WORKER_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

/** The labels a pod carries: the template's plus what its controller adds. */
export function podLabels(spec: WorkloadSpec, pod: SimPod): Record<string, string> {
  if (spec.kind === "Deployment") return { ...spec.podLabels, "pod-template-hash": spec.templateHash };
  return {
    ...(pod.role === "server" ? spec.podLabels : spec.workerPodLabels),
    [LWS_NAME_LABEL]: spec.name,
    [LWS_GROUP_LABEL]: String(pod.groupIndex ?? 0),
    [LWS_WORKER_LABEL]: String(pod.workerIndex ?? 0),
    "leaderworkerset.sigs.k8s.io/template-revision-hash": spec.templateHash,
  };
}

export function podObject(spec: WorkloadSpec, pod: SimPod, ownerUid: string): KubeObject {
  const owner =
    spec.kind === "Deployment"
      ? { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${spec.name}-${spec.templateHash}`, uid: ownerUid }
      : { apiVersion: "apps/v1", kind: "StatefulSet", name: pod.role === "server" ? spec.name : `${spec.name}-${pod.groupIndex ?? 0}`, uid: ownerUid };
  const podSpec = structuredClone(pod.role === "server" ? spec.podSpec : spec.workerPodSpec);
  if (pod.placement) podSpec.nodeName = pod.placement.node.name;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: pod.name,
      namespace: spec.namespace,
      labels: podLabels(spec, pod),
      annotations: { ...(pod.role === "server" ? spec.podAnnotations : {}) },
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
      ...(pod.deletingAt ? { deletionTimestamp: pod.deletingAt, deletionGracePeriodSeconds: 120 } : {}),
    },
    spec: podSpec,
  };
}

const condition = (type: string, ok: boolean, since: string | undefined, reason?: string, message?: string) => ({
  type,
  status: ok ? "True" : "False",
  lastProbeTime: null,
  lastTransitionTime: since ?? null,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

/** The pod's status as the kubelet reports it: Pending/unschedulable, Running (loading), Ready. */
export function podStatus(spec: WorkloadSpec, pod: SimPod): Record<string, unknown> {
  if (!pod.placement) {
    return {
      phase: "Pending",
      conditions: [condition("PodScheduled", false, pod.createdAt, "Unschedulable", pod.unschedulable)],
      qosClass: "Guaranteed",
    };
  }
  const ready = Boolean(pod.readyAt) && !pod.deletingAt;
  const containerName = pod.role === "server" ? spec.container : String((spec.workerPodSpec.containers as Array<{ name?: string }> | undefined)?.[0]?.name ?? spec.container);
  return {
    phase: "Running",
    hostIP: pod.hostIP,
    podIP: pod.podIP,
    podIPs: pod.podIP ? [{ ip: pod.podIP }] : [],
    startTime: pod.startedAt,
    qosClass: "Guaranteed",
    conditions: [
      condition("PodReadyToStartContainers", true, pod.startedAt),
      condition("Initialized", true, pod.startedAt),
      condition("Ready", ready, ready ? pod.readyAt : pod.startedAt, ready ? undefined : "ContainersNotReady", ready ? undefined : `containers with unready status: [${containerName}]`),
      condition("ContainersReady", ready, ready ? pod.readyAt : pod.startedAt, ready ? undefined : "ContainersNotReady", ready ? undefined : `containers with unready status: [${containerName}]`),
      condition("PodScheduled", true, pod.startedAt),
    ],
    containerStatuses: [
      { name: containerName, ready, started: true, restartCount: 0, image: "", imageID: "", state: { running: { startedAt: pod.startedAt } } },
    ],
  };
}

export interface ReplicaCounts {
  /** Pods (Deployment) or groups (LWS) not being deleted. */
  replicas: number;
  updated: number;
  ready: number;
  desired: number;
}

type Condition = { type: string; status: string; reason: string; message: string; lastUpdateTime?: string; lastTransitionTime: string };

/** The Deployment controller's status (or the LWS controller's), keeping transition times of unchanged conditions. */
export function workloadStatus(spec: WorkloadSpec, generation: number, counts: ReplicaCounts, previous: Condition[] | undefined): Record<string, unknown> {
  const now = kubeTimestamp();
  const keep = (c: Omit<Condition, "lastTransitionTime" | "lastUpdateTime">): Condition => {
    const before = previous?.find((p) => p.type === c.type);
    const same = before && before.status === c.status && before.reason === c.reason;
    return spec.kind === "Deployment"
      ? { ...c, lastUpdateTime: same ? (before.lastUpdateTime ?? now) : now, lastTransitionTime: same ? before.lastTransitionTime : now }
      : { ...c, lastTransitionTime: same ? before.lastTransitionTime : now };
  };
  const available = counts.ready >= counts.desired;
  const complete = counts.updated === counts.desired && counts.ready >= counts.desired && counts.replicas === counts.desired;
  const unavailable = Math.max(0, counts.replicas - counts.ready);
  if (spec.kind === "LeaderWorkerSet") {
    return {
      replicas: counts.replicas,
      readyReplicas: counts.ready,
      updatedReplicas: counts.updated,
      hpaPodSelector: `${LWS_NAME_LABEL}=${spec.name},${LWS_WORKER_LABEL}=0`,
      conditions: [
        keep({ type: "Available", status: available ? "True" : "False", reason: available ? "AllGroupsReady" : "GroupsNotReady", message: available ? "All replicas are ready" : "Not all replicas are ready" }),
        keep({ type: "Progressing", status: complete ? "False" : "True", reason: complete ? "GroupsReady" : "GroupsProgressing", message: complete ? "Replicas are ready" : "Replicas are progressing" }),
      ],
    };
  }
  return {
    observedGeneration: generation,
    replicas: counts.replicas,
    updatedReplicas: counts.updated,
    readyReplicas: counts.ready,
    availableReplicas: counts.ready,
    ...(unavailable ? { unavailableReplicas: unavailable } : {}),
    conditions: [
      keep({
        type: "Available",
        status: available ? "True" : "False",
        reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        message: available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
      }),
      keep({
        type: "Progressing",
        status: "True",
        reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        message: complete ? `ReplicaSet "${spec.name}-${spec.templateHash}" has successfully progressed.` : `ReplicaSet "${spec.name}-${spec.templateHash}" is progressing.`,
      }),
    ],
  };
}

/** GPUs a pod requests in its serving container (for tests and views). */
export const gpuRequest = (podSpec: Record<string, unknown>): number => {
  const containers = (podSpec.containers as Array<{ resources?: { requests?: Record<string, unknown> } }> | undefined) ?? [];
  return containers.reduce((n, c) => n + (Number(c.resources?.requests?.[GPU_RESOURCE] ?? 0) || 0), 0);
};
