import { describe, expect, it } from "vitest";
import { MODEL_CATALOG, MODEL_IDS, modelName } from "./models";
import { DEFAULT_GPU_PRICES_CENTS, costEstimate, fitCheck, fitProblems, GPU_CATALOG } from "./gpus";

describe("fitCheck", () => {
  it.each([
    // model, GPU, GPUs, fits, max model len
    ["qwen2.5-0.5b-instruct", "L4", 1, true, 32768],
    ["llama-3.1-8b-instruct", "L4", 1, true, 8192],
    ["llama-3.1-8b-instruct", "A100-80GB", 1, true, 131072],
    ["llama-3.1-8b-instruct", "H100-80GB", 2, true, 131072],
    ["llama-3.1-70b-instruct", "L4", 1, false, 0],
    ["llama-3.1-70b-instruct", "H100-80GB", 1, false, 0],
    ["llama-3.1-70b-instruct", "H100-80GB", 2, false, 0],
    ["llama-3.1-70b-instruct", "H100-80GB", 4, true, 131072],
    ["llama-3.1-70b-instruct", "A100-80GB", 4, true, 131072],
  ] as const)("%s on %s × %i: fits=%s, max len %i", (model, gpu, gpus, fits, maxLen) => {
    const fit = fitCheck(model, gpu, gpus);
    expect(fit.fits).toBe(fits);
    expect(fit.maxModelLen).toBe(maxLen);
    expect(fit.fits).toBe(fit.requiredMb <= fit.usableMb);
  });

  it("reports the fewest GPUs that fit", () => {
    expect(fitCheck("llama-3.1-70b-instruct", "H100-80GB", 1).minGpus).toBe(4);
    expect(fitCheck("qwen2.5-0.5b-instruct", "L4", 8).minGpus).toBe(1);
  });

  it("computes usable memory at 90% of the GPUs' memory, in MB", () => {
    expect(fitCheck("qwen2.5-0.5b-instruct", "L4", 1).usableMb).toBe(21_600);
    expect(fitCheck("llama-3.1-70b-instruct", "H100-80GB", 4).usableMb).toBe(288_000);
  });
});

describe("fitProblems (the request's field errors)", () => {
  it("refuses a 70B on one L4 on both fields, with a way out", () => {
    const problems = fitProblems("llama-3.1-70b-instruct", "L4", 1);
    expect(problems.gpuType).toBe("Llama 3.1 70B Instruct is not offered on L4 (offered on A100-80GB, H100-80GB)");
    expect(problems.gpusPerReplica).toMatch(/^Llama 3\.1 70B Instruct needs about 159\.4 GB of GPU memory, 1 × L4 gives 21\.6 GB usable: try 4 × A100-80GB$/);
  });

  it("suggests more of the same GPU when the model is offered on it", () => {
    expect(fitProblems("llama-3.1-70b-instruct", "H100-80GB", 2).gpusPerReplica).toContain("use at least 4 × H100-80GB");
  });

  it("has nothing to say when the model fits", () => {
    expect(fitProblems("qwen2.5-0.5b-instruct", "L4", 1)).toEqual({});
  });
});

describe("costEstimate", () => {
  it.each([
    // layer, GPU, GPUs, min, max → per replica-hour, min hour, max hour, min month, max month (cents)
    ["vllm", "L4", 1, 0, 4, 80, 0, 320, 0, 233_600],
    ["kserve", "A100-80GB", 1, 1, 3, 370, 370, 1_110, 270_100, 810_300],
    ["llm-d", "H100-80GB", 4, 1, 2, 5_520, 5_520, 11_040, 4_029_600, 8_059_200],
    ["vllm", "H100-80GB", 8, 2, 2, 5_520, 11_040, 11_040, 8_059_200, 8_059_200],
  ] as const)("%s on %s × %i, %i–%i replicas", (servingLayer, gpuType, gpusPerReplica, minReplicas, maxReplicas, ...expected) => {
    const cost = costEstimate({ servingLayer, gpuType, gpusPerReplica, minReplicas, maxReplicas });
    expect([cost.perReplicaHourCents, cost.minHourCents, cost.maxHourCents, cost.minMonthCents, cost.maxMonthCents]).toEqual(expected);
    for (const value of Object.values(cost)) expect(Number.isInteger(value)).toBe(true);
  });

  it("takes a price table", () => {
    const prices = { ...DEFAULT_GPU_PRICES_CENTS, L4: 123 };
    expect(costEstimate({ servingLayer: "vllm", gpuType: "L4", gpusPerReplica: 2, minReplicas: 1, maxReplicas: 1 }, prices).perReplicaHourCents).toBe(246);
  });
});

describe("catalog", () => {
  it("keeps the ids and names other code relies on", () => {
    expect(MODEL_IDS).toEqual(["qwen2.5-0.5b-instruct", "llama-3.1-8b-instruct", "llama-3.1-70b-instruct"]);
    expect(modelName("llama-3.1-8b-instruct")).toBe("Llama 3.1 8B Instruct");
    expect(modelName("unknown")).toBe("unknown");
  });

  it("only lists GPUs the GPU catalog knows, and weights that match parameters × 2 bytes", () => {
    const gpuIds = GPU_CATALOG.map((g) => g.id as string);
    for (const model of MODEL_CATALOG) {
      for (const gpu of model.supportedGpus) expect(gpuIds).toContain(gpu);
      expect(Math.abs(model.weightsGb - model.parametersBillions * 2)).toBeLessThan(0.05 * model.weightsGb);
    }
  });
});
