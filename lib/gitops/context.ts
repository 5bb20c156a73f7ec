import { z } from "zod";
import { DEFAULT_GPU_PRICES_CENTS, GPU_CATALOG, GPU_TYPE_IDS, type GpuTypeId } from "@/lib/catalog/gpus";

/**
 * Platform facts the templates need besides the request: where Argo CD, the gateway, Prometheus
 * and the secret store live, and which images to run. The defaults below are the only place
 * they are written down; production passes its own values (from configuration) over them.
 * Every value is validated, because each one ends up in a manifest.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label = z.string().max(63).regex(DNS_LABEL, "a DNS-1123 label");
// registry[:port]/path[:tag][@sha256:digest] — no spaces, quotes or shell characters.
const image = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([-._a-z0-9]*[a-z0-9])?)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, "an image reference");
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i, "an IPv4 or IPv6 CIDR");
const registry = z.string().regex(/^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:[0-9]{1,5})?$/, "a registry host");
// Secret-store keys are paths; keep them to characters every provider accepts.
const remoteKey = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, "a secret-store key path");

export const renderContextSchema = z.object({
  /** The platform repo Argo CD reads (the one the portal opens pull requests against). */
  repoUrl: z.url({ protocol: /^(https?|ssh)$/ }).max(500),
  repoRevision: z.string().min(1).max(100).regex(/^[A-Za-z0-9._\/-]+$/, "a branch or tag"),
  argocdNamespace: label,
  /** Argo CD AppProject for tenant Applications; it must allow Namespace and ValidatingPolicy (see README). */
  argoProject: label,
  gatewayName: label,
  gatewayNamespace: label,
  monitoringNamespace: label,
  dnsNamespace: label,
  prometheusUrl: z.url({ protocol: /^https?$/ }).max(500),
  clusterSecretStore: label,
  /** The tenant's LiteLLM key is read from `<prefix>/<tenant>` (property `api_key`). */
  litellmKeyRemotePrefix: remoteKey,
  /** The platform's Hugging Face token (property `token`), for gated weights. */
  hfTokenRemoteKey: remoteKey,
  vllmImage: image,
  eppImage: image,
  routingSidecarImage: image,
  /** Registries every tenant may pull from besides its own (KServe and platform sidecars). */
  platformRegistries: z.array(registry).max(20),
  /** Where the EPP reaches the Kubernetes API (ports 443/6443). Narrow it to the API server's address. */
  kubeApiServerCidrs: z.array(cidr).min(1).max(10),
  /** Where model servers download weights from (port 443). Narrow it to a mirror or proxy. */
  modelDownloadCidrs: z.array(cidr).min(1).max(10),
  /** On-demand cents per GPU-hour, for the cost shown on pull requests. */
  gpuPricesCents: z.record(z.enum(GPU_TYPE_IDS), z.number().int().nonnegative()),
  /** GPUs per node of each type (the node shape bought): a replica needing more spans hosts. */
  gpusPerNode: z.record(z.enum(GPU_TYPE_IDS), z.number().int().min(1).max(16)),
});

export type RenderContext = z.output<typeof renderContextSchema>;
export type RenderContextInput = Partial<z.input<typeof renderContextSchema>>;

export const DEFAULT_RENDER_CONTEXT: RenderContext = {
  repoUrl: "https://github.com/example-org/inference-platform.git",
  repoRevision: "main",
  argocdNamespace: "argocd",
  argoProject: "tenants",
  gatewayName: "inference-gateway",
  gatewayNamespace: "inference-gateway",
  monitoringNamespace: "monitoring",
  dnsNamespace: "kube-system",
  prometheusUrl: "http://prometheus-operated.monitoring.svc:9090",
  clusterSecretStore: "platform-secrets",
  litellmKeyRemotePrefix: "inference-portal/litellm-team-keys",
  hfTokenRemoteKey: "inference-platform/huggingface",
  vllmImage: "vllm/vllm-openai:v0.26.0",
  eppImage: "ghcr.io/llm-d/llm-d-inference-scheduler:v0.8.0",
  routingSidecarImage: "ghcr.io/llm-d/llm-d-routing-sidecar:v0.8.0",
  platformRegistries: ["docker.io"],
  kubeApiServerCidrs: ["0.0.0.0/0"],
  modelDownloadCidrs: ["0.0.0.0/0"],
  gpuPricesCents: { ...DEFAULT_GPU_PRICES_CENTS },
  gpusPerNode: Object.fromEntries(GPU_CATALOG.map((g) => [g.id, g.gpusPerNode])) as Record<GpuTypeId, number>,
};

/** Defaults overlaid with `input`, validated. Fails closed: a bad value throws, it is never rendered. */
export function resolveRenderContext(input: RenderContextInput = {}): RenderContext {
  return renderContextSchema.parse({ ...DEFAULT_RENDER_CONTEXT, ...input });
}

/** The registry an image is pulled from, as the container runtime resolves it (Docker Hub by default). */
export function registryOf(imageRef: string): string {
  const first = imageRef.split("/")[0] ?? "";
  const explicit = imageRef.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return explicit ? first : "docker.io";
}
