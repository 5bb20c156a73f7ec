import { findModel, kvBytesPerToken, modelName, type CatalogModel } from "./models";

/** The node label GPU feature discovery sets, and the device plugin's resource name. */
export const GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
export const GPU_RESOURCE = "nvidia.com/gpu";

/**
 * GPU types the platform schedules on.
 *
 * `hourlyPriceCents` is an on-demand planning DEFAULT per GPU-hour (the GPU's share of a typical
 * cloud instance, rounded), not a quote: pass your own table to `costEstimate` (and, later, from
 * configuration). `gpusPerNode` is the node shape the platform buys; it decides when a replica
 * must span hosts. Host CPU/memory per GPU is what a model-server pod requests next to each GPU.
 */
export const GPU_CATALOG = [
  {
    id: "L4",
    name: "NVIDIA L4 24GB",
    memoryGb: 24,
    productLabel: "NVIDIA-L4",
    hourlyPriceCents: 80,
    gpusPerNode: 8,
    hostCpuPerGpu: 4,
    hostMemoryGiPerGpu: 16,
  },
  {
    id: "A100-80GB",
    name: "NVIDIA A100 80GB",
    memoryGb: 80,
    productLabel: "NVIDIA-A100-SXM4-80GB",
    hourlyPriceCents: 370,
    gpusPerNode: 8,
    hostCpuPerGpu: 8,
    hostMemoryGiPerGpu: 64,
  },
  {
    id: "H100-80GB",
    name: "NVIDIA H100 80GB",
    memoryGb: 80,
    productLabel: "NVIDIA-H100-80GB-HBM3",
    hourlyPriceCents: 690,
    gpusPerNode: 8,
    hostCpuPerGpu: 12,
    hostMemoryGiPerGpu: 96,
  },
] as const;

export type GpuTypeId = (typeof GPU_CATALOG)[number]["id"];
export type GpuType = (typeof GPU_CATALOG)[number];
export const GPU_TYPE_IDS = GPU_CATALOG.map((g) => g.id) as [GpuTypeId, ...GpuTypeId[]];
export const GPUS_PER_REPLICA = [1, 2, 4, 8] as const;

export type GpuPriceTable = Readonly<Record<GpuTypeId, number>>;
export const DEFAULT_GPU_PRICES_CENTS: GpuPriceTable = Object.fromEntries(
  GPU_CATALOG.map((g) => [g.id, g.hourlyPriceCents]),
) as GpuPriceTable;

export function findGpu(id: string): GpuType | undefined {
  return GPU_CATALOG.find((g) => g.id === id);
}

// vLLM claims this share of each GPU (--gpu-memory-utilization=0.90 in the catalog's args).
const GPU_MEMORY_UTILIZATION_PERCENT = 90;
// CUDA context, NCCL buffers and CUDA graphs cost about this much on every GPU.
const PER_GPU_RUNTIME_MB = 1500;
// Peak activations during prefill, as a share of the weights.
const ACTIVATION_PERCENT_OF_WEIGHTS = 10;
// A replica must hold at least this many tokens of KV cache, or it serves nothing useful.
export const MIN_KV_TOKENS = 8192;
const HOURS_PER_MONTH = 730;

export type FitResult = {
  fits: boolean;
  /** Memory vLLM may use on the replica's GPUs, in MB. */
  usableMb: number;
  /** Weights + runtime overhead + KV cache for MIN_KV_TOKENS, in MB. */
  requiredMb: number;
  weightsMb: number;
  /** Largest power of two ≤ half the KV capacity, capped at the model's context (0 when it does not fit). */
  maxModelLen: number;
  /** The fewest GPUs of this type (1, 2, 4 or 8) that would fit, or null when even 8 do not. */
  minGpus: number | null;
};

function requirement(model: CatalogModel, gpus: number) {
  const weightsMb = Math.round(model.weightsGb * 1000);
  const overheadMb = PER_GPU_RUNTIME_MB * gpus + Math.ceil((weightsMb * ACTIVATION_PERCENT_OF_WEIGHTS) / 100);
  const minKvMb = Math.ceil((kvBytesPerToken(model) * MIN_KV_TOKENS) / 1_000_000);
  return { weightsMb, overheadMb, requiredMb: weightsMb + overheadMb + minKvMb };
}

function usableMb(gpu: GpuType, gpus: number): number {
  return Math.floor((gpu.memoryGb * 1000 * gpus * GPU_MEMORY_UTILIZATION_PERCENT) / 100);
}

/**
 * Does the model fit `gpusPerReplica` GPUs of `gpuType`? Memory only (weights + headroom); the
 * catalog's supported-GPU list is a separate rule (see `supportsGpu`).
 */
export function fitCheck(model: CatalogModel | string, gpuType: GpuTypeId | string, gpusPerReplica: number): FitResult {
  const m = typeof model === "string" ? findModel(model) : model;
  const gpu = findGpu(gpuType);
  if (!m || !gpu) throw new Error(`Unknown model or GPU type: ${String(typeof model === "string" ? model : model.id)} on ${gpuType}`);
  const { weightsMb, overheadMb, requiredMb } = requirement(m, gpusPerReplica);
  const usable = usableMb(gpu, gpusPerReplica);
  const fits = requiredMb <= usable;
  const kvTokens = Math.floor(((usable - weightsMb - overheadMb) * 1_000_000) / kvBytesPerToken(m));
  let maxModelLen = 0;
  if (fits) {
    maxModelLen = 1;
    while (maxModelLen * 2 <= kvTokens / 2) maxModelLen *= 2;
    maxModelLen = Math.min(maxModelLen, m.contextLength);
  }
  const minGpus = GPUS_PER_REPLICA.find((n) => requirement(m, n).requiredMb <= usableMb(gpu, n)) ?? null;
  return { fits, usableMb: usable, requiredMb, weightsMb, maxModelLen, minGpus };
}

export function supportsGpu(model: CatalogModel, gpuType: string): boolean {
  return (model.supportedGpus as readonly string[]).includes(gpuType);
}

/** Field messages for a model on a GPU shape; empty when it is offered and fits. */
export function fitProblems(modelId: string, gpuType: string, gpusPerReplica: number): { gpuType?: string; gpusPerReplica?: string } {
  const model = findModel(modelId);
  const gpu = findGpu(gpuType);
  if (!model || !gpu) return {};
  const problems: { gpuType?: string; gpusPerReplica?: string } = {};
  if (!supportsGpu(model, gpuType)) {
    problems.gpuType = `${modelName(model.id)} is not offered on ${gpu.id} (offered on ${model.supportedGpus.join(", ")})`;
  }
  const fit = fitCheck(model, gpu.id, gpusPerReplica);
  if (!fit.fits) {
    const need = `${modelName(model.id)} needs about ${gb(fit.requiredMb)} GB of GPU memory`;
    const have = `${gpusPerReplica} × ${gpu.id} gives ${gb(fit.usableMb)} GB usable`;
    const hint = supportsGpu(model, gpu.id) && fit.minGpus ? `: use at least ${fit.minGpus} × ${gpu.id}` : suggestShape(model);
    problems.gpusPerReplica = `${need}, ${have}${hint}`;
    problems.gpuType ??= `${gpu.id} is too small for ${modelName(model.id)} at ${gpusPerReplica} GPU${gpusPerReplica === 1 ? "" : "s"} per replica`;
  }
  return problems;
}

/** The cheapest offered shape that fits, at default prices, as a hint for the form. */
function suggestShape(model: CatalogModel): string {
  const options = GPU_CATALOG.filter((g) => supportsGpu(model, g.id))
    .map((g) => ({ gpu: g, gpus: fitCheck(model, g.id, 1).minGpus }))
    .filter((o): o is { gpu: GpuType; gpus: number } => o.gpus !== null)
    .sort((a, b) => a.gpu.hourlyPriceCents * a.gpus - b.gpu.hourlyPriceCents * b.gpus);
  const best = options[0];
  return best ? `: try ${best.gpus} × ${best.gpu.id}` : "";
}

function gb(mb: number): string {
  return (Math.round(mb / 100) / 10).toFixed(1);
}

export type CostInput = {
  servingLayer: "vllm" | "kserve" | "llm-d";
  gpuType: GpuTypeId;
  gpusPerReplica: number;
  minReplicas: number;
  maxReplicas: number;
};

export type CostEstimate = {
  perReplicaHourCents: number;
  minHourCents: number;
  maxHourCents: number;
  minMonthCents: number;
  maxMonthCents: number;
};

/**
 * GPU cost of a deployment in integer cents (a month is 730 hours). With llm-d a replica is a
 * prefill and a decode group, each with `gpusPerReplica` GPUs, so it costs twice the GPUs.
 */
export function costEstimate(request: CostInput, prices: GpuPriceTable = DEFAULT_GPU_PRICES_CENTS): CostEstimate {
  const price = prices[request.gpuType];
  if (!Number.isInteger(price) || price < 0) throw new Error(`No price for GPU type ${request.gpuType}`);
  const groups = request.servingLayer === "llm-d" ? 2 : 1;
  const perReplicaHourCents = price * request.gpusPerReplica * groups;
  const minHourCents = perReplicaHourCents * request.minReplicas;
  const maxHourCents = perReplicaHourCents * request.maxReplicas;
  return {
    perReplicaHourCents,
    minHourCents,
    maxHourCents,
    minMonthCents: minHourCents * HOURS_PER_MONTH,
    maxMonthCents: maxHourCents * HOURS_PER_MONTH,
  };
}
