import { fitCheck, findGpu, GPU_CATALOG, GPUS_PER_REPLICA, type GpuTypeId } from "../../lib/catalog/gpus";
import { kvBytesPerToken, MODEL_CATALOG, type CatalogModel } from "../../lib/catalog/models";

/**
 * How one vLLM replica of a model on a GPU shape behaves: its scheduler limits, its KV cache and
 * the cost model of one engine step. Everything the engine needs to pace tokens lives here so
 * that the engine itself stays free of hardware numbers.
 */
export interface ServingProfile {
  servedModelName: string;
  gpuType: GpuTypeId;
  /** Tensor-parallel degree. */
  gpusPerReplica: number;
  /** vLLM `--max-num-seqs`. */
  maxNumSeqs: number;
  /** vLLM `--max-num-batched-tokens`: token budget of one step (chunked prefill). */
  maxNumBatchedTokens: number;
  /** What the platform deploys as `--max-model-len` on this shape. */
  maxModelLen: number;
  blockSize: number;
  /** KV-cache blocks on the replica (vLLM's `num_gpu_blocks`). */
  numGpuBlocks: number;
  /** numGpuBlocks × blockSize. */
  kvCacheTokens: number;
  gpuMemoryUtilization: number;
  /** Memory of all GPUs of the replica, in bytes. */
  gpuMemoryTotalBytes: number;
  /** Fixed cost of a step: scheduler/CPU overhead, reading the weights once, TP all-reduces. */
  stepBaseMs: number;
  /** Decode cost per running sequence in a step (compute, sampling, bookkeeping). */
  decodePerSeqMs: number;
  /** Attention cost per token of context held by the sequences of the step (KV reads). */
  kvReadPerTokenMs: number;
  /** Prefill cost per prompt token scheduled in a step. */
  prefillPerTokenMs: number;
  /**
   * API-server path of a request before the engine sees it and of its first token after:
   * HTTP, chat template, tokenization, engine-core IPC, detokenization. Counted in TTFT, as
   * vLLM stamps `arrival_time` in the API server.
   */
  frontendMs: number;
  /** Parameters × 2 FLOP per token, for vLLM's estimated-FLOPs counters. */
  flopsPerToken: number;
  /** Weight bytes each GPU reads per step. */
  weightBytesPerGpu: number;
  kvBytesPerToken: number;
}

/** Hardware the catalog does not carry: HBM bandwidth (GB/s), dense bf16 TFLOPS, interconnect. */
const GPU_PERF: Record<GpuTypeId, { bandwidthGbs: number; tflops: number; allReduceUs: number }> = {
  L4: { bandwidthGbs: 300, tflops: 121, allReduceUs: 40 }, // PCIe only
  "A100-80GB": { bandwidthGbs: 2039, tflops: 312, allReduceUs: 15 }, // NVLink 3
  "H100-80GB": { bandwidthGbs: 3350, tflops: 989, allReduceUs: 10 }, // NVLink 4
};

const BLOCK_SIZE = 16;
const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
// Same headroom as the portal's fit check (lib/catalog/gpus.ts), so the simulated KV cache
// matches what the portal promises: CUDA context/graphs per GPU, and peak prefill activations.
const PER_GPU_RUNTIME_BYTES = 1500e6;
const ACTIVATION_SHARE_OF_WEIGHTS = 0.1;

// Step-cost constants, fitted to a measured Qwen2.5-0.5B-Instruct on one L4 (see the
// calibration test) and scaled to other shapes by bandwidth and FLOPS.
const CPU_STEP_MS = 0.6;
const BANDWIDTH_EFFICIENCY = 0.8;
const FRONTEND_MS = 16.5;
// Small models run skinny GEMMs at poor utilization; large ones approach typical serving MFU.
const SMALL_MODEL_DECODE_MFU = 0.1;
const SMALL_MODEL_PREFILL_MFU = 0.11;
const MFU_REFERENCE_PARAMS_B = 0.5;
const MFU_GROWTH_EXPONENT = 0.35;
const MAX_MFU = 0.5;

function mfu(base: number, parametersBillions: number): number {
  return Math.min(MAX_MFU, base * Math.pow(parametersBillions / MFU_REFERENCE_PARAMS_B, MFU_GROWTH_EXPONENT));
}

/** Reads `--flag=value` from the catalog's vLLM args. */
function argValue(args: readonly string[], flag: string): number | undefined {
  const hit = args.find((a) => a.startsWith(`${flag}=`));
  const value = hit ? Number(hit.slice(flag.length + 1)) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * vLLM's online-serving defaults (engine/arg_utils.py): GPUs with ≥ 70 GiB other than A100 get
 * 8192 batched tokens and 1024 sequences; everything else 2048 and 256. The 2048 budget is
 * what keeps a long prompt from stalling every decode in the batch for a whole step.
 */
function schedulerDefaults(gpuType: GpuTypeId): { maxNumSeqs: number; maxNumBatchedTokens: number } {
  return gpuType === "H100-80GB" ? { maxNumSeqs: 1024, maxNumBatchedTokens: 8192 } : { maxNumSeqs: 256, maxNumBatchedTokens: 2048 };
}

function buildProfile(model: CatalogModel, gpuType: GpuTypeId, gpus: number): ServingProfile | undefined {
  const gpu = findGpu(gpuType);
  if (!gpu) return undefined;
  const fit = fitCheck(model, gpuType, gpus);
  if (!fit.fits) return undefined;
  const perf = GPU_PERF[gpuType];
  const utilization = argValue(model.vllmArgs, "--gpu-memory-utilization") ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const weightBytes = model.weightsGb * 1e9;
  const totalBytes = gpu.memoryGb * 1e9 * gpus;
  const kvBytes = kvBytesPerToken(model);
  const kvPool = totalBytes * utilization - weightBytes - PER_GPU_RUNTIME_BYTES * gpus - weightBytes * ACTIVATION_SHARE_OF_WEIGHTS;
  const numGpuBlocks = Math.floor(kvPool / kvBytes / BLOCK_SIZE);
  const defaults = schedulerDefaults(gpuType);
  const flopsPerToken = 2 * model.parametersBillions * 1e9;
  const flops = perf.tflops * 1e12 * gpus;
  const bandwidth = perf.bandwidthGbs * 1e9 * gpus * BANDWIDTH_EFFICIENCY;
  // Two all-reduces per layer (after attention and after the MLP) when the model is sharded.
  const allReduceMs = gpus > 1 ? (2 * model.layers * perf.allReduceUs) / 1000 : 0;
  return {
    servedModelName: model.servedName,
    gpuType,
    gpusPerReplica: gpus,
    maxNumSeqs: argValue(model.vllmArgs, "--max-num-seqs") ?? defaults.maxNumSeqs,
    maxNumBatchedTokens: argValue(model.vllmArgs, "--max-num-batched-tokens") ?? defaults.maxNumBatchedTokens,
    maxModelLen: fit.maxModelLen,
    blockSize: BLOCK_SIZE,
    numGpuBlocks,
    kvCacheTokens: numGpuBlocks * BLOCK_SIZE,
    gpuMemoryUtilization: utilization,
    gpuMemoryTotalBytes: totalBytes,
    stepBaseMs: CPU_STEP_MS + (weightBytes / bandwidth) * 1000 + allReduceMs,
    decodePerSeqMs: (flopsPerToken / (flops * mfu(SMALL_MODEL_DECODE_MFU, model.parametersBillions))) * 1000,
    kvReadPerTokenMs: (kvBytes / bandwidth) * 1000,
    prefillPerTokenMs: (flopsPerToken / (flops * mfu(SMALL_MODEL_PREFILL_MFU, model.parametersBillions))) * 1000,
    frontendMs: FRONTEND_MS,
    flopsPerToken,
    weightBytesPerGpu: weightBytes / gpus,
    kvBytesPerToken: kvBytes,
  };
}

/** Every catalog model on every offered GPU shape it fits. */
export const SERVING_PROFILES: readonly ServingProfile[] = MODEL_CATALOG.flatMap((model) =>
  model.supportedGpus.flatMap((gpuType) =>
    GPUS_PER_REPLICA.map((gpus) => buildProfile(model, gpuType, gpus)).filter((p): p is ServingProfile => p !== undefined),
  ),
);

export function profileFor(servedModelName: string, gpuType: string, gpusPerReplica: number): ServingProfile {
  const profile = SERVING_PROFILES.find(
    (p) => p.servedModelName === servedModelName && p.gpuType === gpuType && p.gpusPerReplica === gpusPerReplica,
  );
  if (!profile) throw new Error(`No serving profile for ${servedModelName} on ${gpusPerReplica} × ${gpuType}`);
  return profile;
}

/** The cheapest shape a model runs on: smallest GPU count, then GPU catalog order (L4 first). */
export function smallestProfileFor(servedModelName: string): ServingProfile | undefined {
  const candidates = SERVING_PROFILES.filter((p) => p.servedModelName === servedModelName);
  const gpuRank = (id: GpuTypeId) => GPU_CATALOG.findIndex((g) => g.id === id);
  return [...candidates].sort((a, b) => a.gpusPerReplica - b.gpusPerReplica || gpuRank(a.gpuType) - gpuRank(b.gpuType))[0];
}

/**
 * Duration of one engine step: fixed cost, plus per decoding sequence, plus attention over the
 * context the step touches, plus the prompt tokens prefilled in it.
 */
export function stepDurationMs(profile: ServingProfile, step: { decodeSeqs: number; prefillTokens: number; contextTokens: number }): number {
  return (
    profile.stepBaseMs +
    step.decodeSeqs * profile.decodePerSeqMs +
    step.contextTokens * profile.kvReadPerTokenMs +
    step.prefillTokens * profile.prefillPerTokenMs
  );
}
