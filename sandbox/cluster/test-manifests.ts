import { stringify } from "yaml";

/** Small, valid manifests of the platform's kinds, for the stand-in's tests (and others'). */

export const deployment = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: "vllm",
            image: "vllm/vllm-openai:v0.26.0",
            ports: [{ name: "http", containerPort: 8000 }],
            resources: { limits: { "nvidia.com/gpu": 1, memory: "24Gi" }, requests: { cpu: "2" } },
          },
        ],
      },
    },
    ...spec,
  },
});

export const service = (name: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ name: "http", port: 8000, targetPort: "http" }] },
});

export const inferencePool = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "inference.networking.k8s.io/v1",
  kind: "InferencePool",
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    targetPorts: [{ number: 8000 }],
    endpointPickerRef: { name: `${name}-epp`, port: { number: 9002 } },
    ...spec,
  },
});

export const httpRoute = (name: string, pool: string) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name },
  spec: {
    parentRefs: [{ name: "inference-gateway", namespace: "gateway-system" }],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ group: "inference.networking.k8s.io", kind: "InferencePool", name: pool }],
      },
    ],
  },
});

export const scaledObject = (name: string, target: string) => ({
  apiVersion: "keda.sh/v1alpha1",
  kind: "ScaledObject",
  metadata: { name },
  spec: {
    scaleTargetRef: { name: target },
    minReplicaCount: 1,
    maxReplicaCount: 4,
    triggers: [
      {
        type: "prometheus",
        metadata: { serverAddress: "http://prometheus:9090", query: "sum(vllm:num_requests_waiting)", threshold: "5" },
      },
    ],
  },
});

export const namespacedConfigMap = (name: string, data: Record<string, string> = { key: "value" }) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name },
  data,
});

/** A multi-document YAML file. */
export const yamlDocs = (...docs: unknown[]) => docs.map((d) => stringify(d)).join("---\n");
