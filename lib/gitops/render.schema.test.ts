import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MODEL_CATALOG } from "@/lib/catalog/models";
import { GPU_CATALOG, GPUS_PER_REPLICA, fitCheck, supportsGpu } from "@/lib/catalog/gpus";
import { renderRequest } from "./render";
import { SERVING_LAYERS, type GitopsRequestInput } from "./requests";
import { GOLDEN_CASES, renderCase, VLLM_QWEN } from "./testing/cases";
import { validateManifest, validateObject } from "./testing/schema-validator";

// Every object the renderer can produce, checked against the upstream schemas in
// ../shared/reference: CRDs at their served versions, core kinds from the Kubernetes OpenAPI.

function expectValid(files: { path: string; content: string }[]) {
  for (const file of files) {
    const { objects, errors } = validateManifest(file.content);
    expect(errors, file.path).toEqual([]);
    expect(objects, file.path).toHaveLength(1);
  }
}

describe("rendered objects against upstream schemas", { timeout: 60_000 }, () => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))("%s: every object is valid", (_name, c) => {
    expectValid(renderCase(c));
  });

  // Every offered model × GPU shape × serving layer that fits, with and without a floor of
  // replicas and a priority: all the template branches (Deployment/LWS, OMIT, x-portal-when).
  const matrix: [string, GitopsRequestInput][] = [];
  for (const model of MODEL_CATALOG) {
    for (const gpu of GPU_CATALOG) {
      if (!supportsGpu(model, gpu.id)) continue;
      const gpus = GPUS_PER_REPLICA.find((n) => fitCheck(model, gpu.id, n).fits);
      if (gpus === undefined) continue;
      for (const servingLayer of SERVING_LAYERS) {
        for (const [minReplicas, priority] of [[0, "sheddable"], [2, undefined]] as const) {
          matrix.push([
            `${model.id} on ${gpus} × ${gpu.id} with ${servingLayer}, min ${minReplicas}`,
            { ...VLLM_QWEN, name: "matrix", model: model.id, gpuType: gpu.id, gpusPerReplica: gpus, servingLayer, minReplicas, priority },
          ]);
        }
      }
    }
  }
  it.each(matrix)("%s", (_label, request) => {
    expectValid(renderRequest(request));
  });

  it("a multi-host LeaderWorkerSet (replica larger than a node) is valid too", () => {
    const files = renderRequest(
      { ...VLLM_QWEN, name: "big", model: "llama-3.1-70b-instruct", servingLayer: "llm-d", gpuType: "H100-80GB", gpusPerReplica: 8 },
      { gpusPerNode: { L4: 8, "A100-80GB": 8, "H100-80GB": 4 } },
    );
    expectValid(files);
    const decode = parse(files.find((f) => f.path.endsWith("/decode.yaml"))!.content);
    expect(decode.kind).toBe("LeaderWorkerSet");
    expect(decode.spec.leaderWorkerTemplate.size).toBe(2);
    expect(decode.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[0]).toContain("--pipeline-parallel-size=2");
  });
});

describe("the validator itself", { timeout: 60_000 }, () => {
  const valid = () => parse(renderCase(GOLDEN_CASES[1]!).find((f) => f.path.endsWith("/scaledobject.yaml"))!.content);

  it("accepts the untouched object", () => {
    expect(validateObject(valid())).toEqual([]);
  });

  it.each([
    ["an unknown field", (o: any) => (o.spec.minReplicas = 1), "must NOT have additional properties"],
    ["a wrong type", (o: any) => (o.spec.maxReplicaCount = "4"), "must be integer"],
    ["a missing required field", (o: any) => delete o.spec.scaleTargetRef, "must have required property 'scaleTargetRef'"],
    ["an enum violation", (o: any) => (o.spec.fallback = { behavior: "sometimes", failureThreshold: 3, replicas: 1 }), "must be equal to one of the allowed values"],
    ["a bad label value", (o: any) => (o.metadata.labels["portal.inference-platform.io/tenant"] = "a b"), "invalid label value"],
    ["a missing namespace", (o: any) => delete o.metadata.namespace, "needs a namespace"],
    ["a served-false version", (o: any) => (o.apiVersion = "keda.sh/v1beta1"), "no served schema"],
  ])("catches %s", (_label, breakIt, message) => {
    const broken = valid();
    breakIt(broken);
    const errors = validateObject(broken);
    expect(errors.join("\n")).toContain(message);
  });

  it("catches broken core objects (swagger with $ref resolution)", () => {
    const deployment = parse(renderCase(GOLDEN_CASES[1]!).find((f) => f.path.endsWith("/deployment.yaml"))!.content);
    deployment.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"] = "one";
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "8000";
    const errors = validateObject(deployment).join("\n");
    expect(errors).toContain("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu");
    expect(errors).toContain("/spec/template/spec/containers/0/ports/0/containerPort: must be integer");
  });

  it("checks an InferencePool against every GIE v1 schema it has (v1.0.0 and v1.6.0)", () => {
    const pool = parse(renderCase(GOLDEN_CASES[1]!).find((f) => f.path.endsWith("/inferencepool.yaml"))!.content);
    delete pool.spec.endpointPickerRef; // optional since v1.6.0, required in v1.0.0
    expect(validateObject(pool).join("\n")).toContain("must have required property 'endpointPickerRef'");
  });
});
