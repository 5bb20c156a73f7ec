import { findKind } from "../cluster/registry";
import type { ClusterStore } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";

/** Model-server manifests shaped like gitops-templates/model renders them, for the fleet's tests. */

export const DEPLOYMENT = findKind("apps/v1", "Deployment")!;
export const SCALED_OBJECT = findKind("keda.sh/v1alpha1", "ScaledObject")!;
export const LWS = findKind("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet")!;
export const INFERENCE_POOL = findKind("inference.networking.k8s.io/v1", "InferencePool")!;
export const HPA = findKind("autoscaling/v2", "HorizontalPodAutoscaler")!;

export interface ModelFixture {
  tenant: string;
  name: string;
  servedName?: string;
  gpuProduct?: string;
  gpus?: number;
  image?: string;
}

export function modelDeployment(f: ModelFixture): KubeObject {
  const labels = {
    "app.kubernetes.io/name": "vllm",
    "app.kubernetes.io/component": "model-server",
    "portal.inference-platform.io/tenant": f.tenant,
    "portal.inference-platform.io/deployment": f.name,
    "portal.inference-platform.io/model": "qwen2.5-0.5b-instruct",
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: f.name, namespace: f.tenant, labels },
    spec: {
      selector: { matchLabels: { "portal.inference-platform.io/deployment": f.name, "portal.inference-platform.io/role": "server" } },
      template: {
        metadata: {
          labels: { ...labels, "portal.inference-platform.io/role": "server", "portal.inference-platform.io/endpoint": "true" },
          annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "8000" },
        },
        spec: {
          nodeSelector: { "nvidia.com/gpu.product": f.gpuProduct ?? "NVIDIA-L4" },
          containers: [
            {
              name: "vllm",
              image: f.image ?? "vllm/vllm-openai:v0.26.0",
              command: ["vllm", "serve"],
              args: [`--model=Qwen/Qwen2.5-0.5B-Instruct`, `--served-model-name=${f.servedName ?? "Qwen/Qwen2.5-0.5B-Instruct"}`, `--tensor-parallel-size=${f.gpus ?? 1}`, "--max-model-len=8192", "--port=8000"],
              resources: { requests: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": String(f.gpus ?? 1) }, limits: { "nvidia.com/gpu": String(f.gpus ?? 1) } },
            },
          ],
        },
      },
    },
  };
}

export function modelScaledObject(f: ModelFixture, min: number, max = 4): KubeObject {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: f.name, namespace: f.tenant },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: f.name }, minReplicaCount: min, maxReplicaCount: max, triggers: [] },
  };
}

export function applyModel(store: ClusterStore, f: ModelFixture, min: number): void {
  store.apply(modelDeployment(f), DEPLOYMENT);
  store.apply(modelScaledObject(f, min), SCALED_OBJECT);
}

export async function eventually<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
