import type { GpuTypeId } from "./gpus";

/**
 * The models the platform serves, by their LiteLLM `model_name` (what keys and tenants are
 * granted), with what the GitOps renderer needs to serve them.
 *
 * Sizes are bf16 weights in GB (10^9 bytes): parameters × 2 bytes. The attention shape
 * (layers, KV heads, head dim) gives the KV-cache cost of one token, which the fit check uses to
 * size `--max-model-len`. Values are from each model's `config.json` on Hugging Face.
 */
export const MODEL_CATALOG = [
  {
    id: "qwen2.5-0.5b-instruct",
    name: "Qwen2.5 0.5B Instruct",
    servedName: "Qwen/Qwen2.5-0.5B-Instruct",
    hfRepo: "Qwen/Qwen2.5-0.5B-Instruct",
    parametersBillions: 0.49,
    contextLength: 32768,
    weightsGb: 0.99,
    layers: 24,
    kvHeads: 2,
    headDim: 64,
    gated: false,
    vllmArgs: ["--gpu-memory-utilization=0.90", "--enable-prefix-caching", "--enable-auto-tool-choice", "--tool-call-parser=hermes"],
    supportedGpus: ["L4", "A100-80GB", "H100-80GB"],
  },
  {
    id: "llama-3.1-8b-instruct",
    name: "Llama 3.1 8B Instruct",
    servedName: "meta-llama/Llama-3.1-8B-Instruct",
    hfRepo: "meta-llama/Llama-3.1-8B-Instruct",
    parametersBillions: 8.03,
    contextLength: 131072,
    weightsGb: 16.06,
    layers: 32,
    kvHeads: 8,
    headDim: 128,
    gated: true,
    vllmArgs: ["--gpu-memory-utilization=0.90", "--enable-prefix-caching", "--enable-auto-tool-choice", "--tool-call-parser=llama3_json"],
    supportedGpus: ["L4", "A100-80GB", "H100-80GB"],
  },
  {
    id: "llama-3.1-70b-instruct",
    name: "Llama 3.1 70B Instruct",
    servedName: "meta-llama/Llama-3.1-70B-Instruct",
    hfRepo: "meta-llama/Llama-3.1-70B-Instruct",
    parametersBillions: 70.55,
    contextLength: 131072,
    weightsGb: 141.1,
    layers: 80,
    kvHeads: 8,
    headDim: 128,
    gated: true,
    vllmArgs: ["--gpu-memory-utilization=0.90", "--enable-prefix-caching", "--enable-auto-tool-choice", "--tool-call-parser=llama3_json", "--max-num-seqs=128"],
    // Eight L4s hold the weights on paper, but tensor parallelism over PCIe-only cards is too slow
    // to be worth offering: the 70B runs on NVLink-class GPUs only.
    supportedGpus: ["A100-80GB", "H100-80GB"],
  },
] as const satisfies readonly CatalogModel[];

export interface CatalogModel {
  id: string;
  name: string;
  /** What vLLM serves it as (`--served-model-name`) and what its metrics carry as `model_name`. */
  servedName: string;
  hfRepo: string;
  parametersBillions: number;
  contextLength: number;
  weightsGb: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Gated on Hugging Face: the platform's HF token must have been granted access. */
  gated: boolean;
  vllmArgs: readonly string[];
  supportedGpus: readonly GpuTypeId[];
}

export type CatalogModelId = (typeof MODEL_CATALOG)[number]["id"];
export const MODEL_IDS = MODEL_CATALOG.map((m) => m.id) as [CatalogModelId, ...CatalogModelId[]];

export function modelName(id: string): string {
  return MODEL_CATALOG.find((m) => m.id === id)?.name ?? id;
}

export function findModel(id: string): CatalogModel | undefined {
  return MODEL_CATALOG.find((m) => m.id === id);
}

/** KV-cache bytes one token costs in bf16: K and V, for every layer and KV head. */
export function kvBytesPerToken(model: Pick<CatalogModel, "layers" | "kvHeads" | "headDim">): number {
  return 2 * model.layers * model.kvHeads * model.headDim * 2;
}
