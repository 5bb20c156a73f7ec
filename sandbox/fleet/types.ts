import type { ClusterStore } from "../cluster/store";
import type { GpuTypeId } from "../../lib/catalog/gpus";

/**
 * The simulated GPU fleet's public shapes. Other sandbox parts (the KEDA stand-in, the
 * Prometheus launcher, the load generator, dashboards' tests) depend on these, so they change
 * only additively.
 */

/** One GPU node of the inventory. */
export interface NodeSpec {
  /** Node name (a DNS-1123 subdomain), e.g. `gpu-l4-0`. */
  name: string;
  gpuType: GpuTypeId;
  /** GPUs on the node; default 8 (the catalog's node shape). */
  gpuCount?: number;
}

/** A workload the fleet runs pods for: the KEDA scale target. */
export interface WorkloadRef {
  namespace: string;
  /** The scale target's name: the Deployment, the LeaderWorkerSet, or `<isvc>-predictor`. */
  name: string;
}

/**
 * A scrape target like Prometheus's kubernetes_sd would discover it. `labels` carry the
 * `__meta_kubernetes_*` names so a Prometheus config relabels them as on a real cluster
 * (e.g. `__meta_kubernetes_namespace` → `namespace`, `__meta_kubernetes_pod_name` → `pod`,
 * `__meta_kubernetes_pod_node_name` → `node`). dcgm-exporter and kube-state-metrics expose
 * `namespace`/`pod` of the objects they describe: scrape those jobs with `honor_labels: true`
 * as kube-prometheus-stack does.
 */
export interface ScrapeTarget {
  job: "vllm" | "dcgm-exporter" | "kube-state-metrics" | "epp";
  /** `host:port` */
  address: string;
  metricsPath: string;
  labels: Record<string, string>;
}

export type PodPhase = "Pending" | "Running" | "Terminating";

export interface PodView {
  name: string;
  phase: PodPhase;
  ready: boolean;
  /** Unset while unschedulable. */
  node?: string;
  /** GPU indices on `node` held by this pod. */
  gpus: number[];
  /** The replica server (only on pods that serve: Deployment pods and LWS leaders). */
  url?: string;
  /** Why the pod is not running or not ready (e.g. the scheduler's FailedScheduling message). */
  reason?: string;
}

export interface WorkloadView extends WorkloadRef {
  kind: "Deployment" | "LeaderWorkerSet";
  /** vLLM's --served-model-name. */
  model: string;
  /** The portal's catalog model id (label portal.inference-platform.io/model), if labelled. */
  modelId?: string;
  /** The InferencePool / portal deployment name (label portal.inference-platform.io/deployment). */
  pool: string;
  gpuType?: GpuTypeId;
  gpusPerReplica: number;
  desired: number;
  ready: number;
  /** One entry per pod; an LWS replica contributes its leader and workers. */
  pods: PodView[];
}

/** A ready replica chosen to serve a request. */
export interface ReplicaEndpoint {
  /** Base URL of the replica server (OpenAI API at `${url}/v1/...`). */
  url: string;
  namespace: string;
  pod: string;
  workload: string;
  pool: string;
  node: string;
}

/** Load of a replica as the endpoint picker's scorers see it. */
export interface ReplicaLoad {
  running: number;
  waiting: number;
  kvCacheUsage: number;
}

export interface FleetOptions {
  store: ClusterStore;
  /** Interface the replica, DCGM and kube-state servers bind to (ports are ephemeral). */
  host: string;
  /** Host name used in URLs and target addresses. */
  publicHost: string;
  nodes?: NodeSpec[];
  /** Time a new replica takes to load its model and become ready; default 20 000 ms. */
  modelLoadMs?: number;
  /** How long a removed replica may finish in-flight requests before it is closed; default 30 000 ms. */
  drainGraceMs?: number;
}

export interface Fleet {
  /** Sets the desired replica count of a workload (what KEDA's HPA does through /scale). */
  setDesiredReplicas(ref: WorkloadRef, replicas: number): void;
  /** Every scrape target: vLLM replicas, one dcgm-exporter per node, kube-state-metrics, one EPP per pool. */
  targets(): ScrapeTarget[];
  /** Called after the target set or a target's labels changed (pods added, ready, removed). */
  onTargetsChanged(listener: () => void): () => void;
  /** Called after any change of workloads, pods or readiness. */
  onReplicasChanged(listener: () => void): () => void;
  replicas(): WorkloadView[];
  /** Load of a pod's replica, if it runs one. */
  loadOf(namespace: string, pod: string): ReplicaLoad | undefined;
  /**
   * A ready, non-draining replica serving `model` (served model name) with the least
   * (waiting, running), preferring `namespace`'s workloads; `extraLoad` adds requests a caller
   * has dispatched but the replica has not counted yet.
   */
  pickReplica(model: string, namespace?: string, extraLoad?: (pod: string) => number): ReplicaEndpoint | undefined;
  /** Registers the EPP metrics source (the gateway) so each pool's `epp` target serves it. */
  setEppMetrics(render: (namespace: string, pool: string) => string): void;
  close(): Promise<void>;
}
