import { createHash } from "node:crypto";
import { z } from "zod";
import { findGpu, GPU_CATALOG, GPU_PRODUCT_LABEL, GPU_RESOURCE, type GpuTypeId } from "../../lib/catalog/gpus";
import type { KindInfo } from "../cluster/registry";
import type { KubeObject } from "../cluster/validate";

/**
 * What the fleet needs to know of a model-server workload, read from the stored manifest the
 * way the Deployment / LeaderWorkerSet controllers and the scheduler read it. Manifests come
 * from the platform repository (tenant-influenced), so everything is parsed, nothing assumed.
 */

export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const MODEL_SERVER = "model-server";
export const TENANT_LABEL = "portal.inference-platform.io/tenant";
export const DEPLOYMENT_LABEL = "portal.inference-platform.io/deployment";
export const MODEL_LABEL = "portal.inference-platform.io/model";

export interface WorkloadSpec {
  kind: "Deployment" | "LeaderWorkerSet";
  kindInfo: KindInfo;
  namespace: string;
  name: string;
  uid: string;
  /** Changes when the pod template changes (the Deployment's pod-template-hash). */
  templateHash: string;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** The pod template's spec as written (what the pods are created from). */
  podSpec: Record<string, unknown>;
  /** LWS workers' labels and spec (the same as the server's for a Deployment). */
  workerPodLabels: Record<string, string>;
  workerPodSpec: Record<string, unknown>;
  nodeSelector: Record<string, string>;
  /** The serving container (the one running `vllm serve` with --served-model-name). */
  container: string;
  servedModelName: string;
  maxModelLen: number;
  /** GPUs each pod requests. */
  gpusPerPod: number;
  /** Pods per replica: 1 for a Deployment, the LWS group size otherwise. */
  podsPerReplica: number;
  /** The node's GPU type when the nodeSelector names a known product. */
  gpuType?: GpuTypeId;
  pool: string;
  modelId?: string;
}

const stringMap = z.record(z.string(), z.string()).optional();
const quantity = z.union([z.string(), z.number()]).optional();
const containerSchema = z.object({
  name: z.string(),
  args: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  resources: z.object({ requests: z.record(z.string(), quantity).optional(), limits: z.record(z.string(), quantity).optional() }).optional(),
});
const podTemplateSchema = z.object({
  metadata: z.object({ labels: stringMap, annotations: stringMap }).optional(),
  spec: z.looseObject({ nodeSelector: stringMap, containers: z.array(containerSchema).min(1) }),
});
const deploymentSpec = z.object({ template: podTemplateSchema });
const lwsSpec = z.object({
  leaderWorkerTemplate: z.object({
    size: z.number().int().min(1).max(64).optional(),
    leaderTemplate: podTemplateSchema.optional(),
    workerTemplate: podTemplateSchema,
  }),
});

type PodTemplate = z.infer<typeof podTemplateSchema>;
type Container = z.infer<typeof containerSchema>;

const argValue = (args: readonly string[], flag: string): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return args[i + 1];
  }
  return undefined;
};

function gpuCount(c: Container): number {
  const raw = c.resources?.requests?.[GPU_RESOURCE] ?? c.resources?.limits?.[GPU_RESOURCE] ?? 0;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

// The sandbox has no tokenizer config to read; the catalog's smallest sensible window.
const DEFAULT_MAX_MODEL_LEN = 4096;

function servingContainer(template: PodTemplate): { container: Container; servedModelName: string; maxModelLen: number } | undefined {
  for (const container of template.spec.containers) {
    // Single-string args (`sh -c "vllm serve ..."`) are split so a leader's shell line parses too.
    const args = [...(container.command ?? []), ...(container.args ?? [])].flatMap((a) => a.split(/\s+/)).filter(Boolean);
    const served = argValue(args, "--served-model-name") ?? argValue(args, "--model");
    if (!served) continue;
    const len = Number(argValue(args, "--max-model-len"));
    return { container, servedModelName: served, maxModelLen: Number.isInteger(len) && len > 0 ? len : DEFAULT_MAX_MODEL_LEN };
  }
  return undefined;
}

const productToGpu = (product: string | undefined): GpuTypeId | undefined =>
  product ? GPU_CATALOG.find((g) => g.productLabel === product)?.id : undefined;

/** The Deployment's pod-template-hash: 10 characters of the safe alphabet over the template. */
export function templateHash(template: unknown): string {
  return safeEncode(createHash("sha256").update(JSON.stringify(template)).digest(), 10);
}

// k8s.io/apimachinery rand.SafeEncodeString's alphabet: no vowels, no look-alikes.
const SAFE = "bcdfghjklmnpqrstvwxz2456789";
export function safeEncode(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += SAFE[bytes[i % bytes.length]! % SAFE.length];
  return out;
}

/** The workload spec of a model-server Deployment or LeaderWorkerSet, or undefined for anything else. */
export function readWorkload(object: KubeObject, kindInfo: KindInfo): WorkloadSpec | undefined {
  const meta = object.metadata;
  const labels = (meta.labels ?? {}) as Record<string, string>;
  if (labels[COMPONENT_LABEL] !== MODEL_SERVER || !meta.namespace) return undefined;
  let template: PodTemplate;
  let worker: PodTemplate | undefined;
  let podsPerReplica = 1;
  let kind: WorkloadSpec["kind"];
  // Parsing strips fields it does not read; hashes and pod specs use the manifest as written.
  const rawSpec = object.spec as Record<string, Record<string, { spec?: unknown } | undefined> | undefined>;
  let rawTemplate: unknown;
  let rawLeader: unknown;
  let rawWorker: unknown;
  if (kindInfo.group === "apps" && kindInfo.kind === "Deployment") {
    const parsed = deploymentSpec.safeParse(object.spec);
    if (!parsed.success) return undefined;
    template = parsed.data.template;
    rawTemplate = rawSpec.template;
    rawLeader = rawSpec.template?.spec;
    rawWorker = rawLeader;
    kind = "Deployment";
  } else if (kindInfo.group === "leaderworkerset.x-k8s.io" && kindInfo.kind === "LeaderWorkerSet") {
    const parsed = lwsSpec.safeParse(object.spec);
    if (!parsed.success) return undefined;
    const lwt = parsed.data.leaderWorkerTemplate;
    template = lwt.leaderTemplate ?? lwt.workerTemplate;
    worker = lwt.workerTemplate;
    const rawLwt = rawSpec.leaderWorkerTemplate as Record<string, { spec?: unknown } | undefined>;
    rawTemplate = rawLwt;
    rawWorker = rawLwt.workerTemplate?.spec;
    rawLeader = (rawLwt.leaderTemplate ?? rawLwt.workerTemplate)?.spec;
    podsPerReplica = lwt.size ?? 1;
    kind = "LeaderWorkerSet";
  } else return undefined;

  const serving = servingContainer(template);
  if (!serving) return undefined;
  const nodeSelector = template.spec.nodeSelector ?? {};
  const gpuType = productToGpu(nodeSelector[GPU_PRODUCT_LABEL]);
  return {
    kind,
    kindInfo,
    namespace: meta.namespace,
    name: meta.name,
    uid: String(meta.uid ?? ""),
    templateHash: templateHash(rawTemplate),
    podLabels: { ...(template.metadata?.labels ?? {}) },
    podAnnotations: { ...(template.metadata?.annotations ?? {}) },
    podSpec: structuredClone(rawLeader) as Record<string, unknown>,
    workerPodLabels: { ...((worker ?? template).metadata?.labels ?? {}) },
    workerPodSpec: structuredClone(rawWorker) as Record<string, unknown>,
    nodeSelector,
    container: serving.container.name,
    servedModelName: serving.servedModelName,
    maxModelLen: serving.maxModelLen,
    gpusPerPod: gpuCount(serving.container),
    podsPerReplica,
    gpuType: gpuType && findGpu(gpuType) ? gpuType : undefined,
    pool: labels[DEPLOYMENT_LABEL] ?? template.metadata?.labels?.[DEPLOYMENT_LABEL] ?? meta.name,
    modelId: labels[MODEL_LABEL],
  };
}

const scaledObjectSpec = z.object({
  scaleTargetRef: z.object({ name: z.string(), kind: z.string().optional(), apiVersion: z.string().optional() }),
  minReplicaCount: z.number().int().min(0).optional(),
  maxReplicaCount: z.number().int().min(0).optional(),
});

/** A ScaledObject's target and replica bounds (KEDA's defaults: min 0, max 100). */
export function readScaledObject(object: KubeObject): { namespace: string; target: string; targetKind: string; min: number; max: number } | undefined {
  const parsed = scaledObjectSpec.safeParse(object.spec);
  if (!parsed.success || !object.metadata.namespace) return undefined;
  const s = parsed.data;
  return {
    namespace: object.metadata.namespace,
    target: s.scaleTargetRef.name,
    targetKind: s.scaleTargetRef.kind ?? "Deployment",
    min: s.minReplicaCount ?? 0,
    max: s.maxReplicaCount ?? 100,
  };
}
