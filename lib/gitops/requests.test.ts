import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/http/errors";
import { gitopsRequest, type GitopsRequestInput } from "./requests";
import { ACME_ONBOARDING, BUDGET_LIMITS, KSERVE_LLAMA_8B, MODEL_ACCESS, VLLM_QWEN } from "./testing/cases";

function errorsOf(request: unknown) {
  const result = gitopsRequest.safeParse(request);
  return result.success ? {} : fieldErrors(result.error);
}

describe("request schemas", () => {
  it.each([
    ["onboarding", ACME_ONBOARDING],
    ["deployment", VLLM_QWEN],
    ["model access", MODEL_ACCESS],
    ["budget limits", BUDGET_LIMITS],
  ] as const)("accept the %s fixture", (_label, request) => {
    expect(errorsOf(request)).toEqual({});
  });

  it("normalizes: defaults, sorted thresholds, lower-cased registries", () => {
    const parsed = gitopsRequest.parse({ ...ACME_ONBOARDING, memberGroups: undefined, allowedRegistries: ["GHCR.io"] });
    expect(parsed.kind === "tenant-onboarding" && parsed.memberGroups).toEqual([]);
    expect(parsed.kind === "tenant-onboarding" && parsed.allowedRegistries).toEqual(["ghcr.io"]);
    expect(parsed.kind === "tenant-onboarding" && parsed.litellm.softBudgetThresholds).toEqual([50, 80]);
  });

  const onboarding = (patch: Record<string, unknown>) => ({ ...ACME_ONBOARDING, ...patch });
  const deployment = (patch: Record<string, unknown>) => ({ ...VLLM_QWEN, ...patch });

  it.each<[string, unknown, string]>([
    ["an upper-case slug", onboarding({ tenant: "Acme" }), "tenant"],
    ["a reserved slug", onboarding({ tenant: "kube-system" }), "tenant"],
    ["a platform namespace", onboarding({ tenant: "argocd" }), "tenant"],
    ["a 64-character slug", onboarding({ tenant: "a".repeat(64) }), "tenant"],
    ["an empty display name", onboarding({ displayName: "   " }), "displayName"],
    ["a two-line display name", onboarding({ displayName: "Acme\nCorp" }), "displayName"],
    ["a cost center that is not a label value", onboarding({ costCenter: "R&D: 42" }), "costCenter"],
    ["no admin group", onboarding({ adminGroups: [] }), "adminGroups"],
    ["a duplicate admin group", onboarding({ adminGroups: ["a", "a"] }), "adminGroups"],
    ["a member who is also admin", onboarding({ memberGroups: ["acme:platform-admins"] }), "memberGroups.0"],
    ["65 GPUs", onboarding({ quota: { ...ACME_ONBOARDING.quota, gpus: 65 } }), "quota.gpus"],
    ["an unknown GPU type", onboarding({ quota: { ...ACME_ONBOARDING.quota, gpuType: "T4" } }), "quota.gpuType"],
    ["half a core", onboarding({ quota: { ...ACME_ONBOARDING.quota, cpu: 0.5 } }), "quota.cpu"],
    ["a registry with a path", onboarding({ allowedRegistries: ["ghcr.io/acme"] }), "allowedRegistries.0"],
    ["a registry with a scheme", onboarding({ allowedRegistries: ["https://ghcr.io"] }), "allowedRegistries.0"],
    ["a model outside the catalog", onboarding({ litellm: { ...ACME_ONBOARDING.litellm, models: ["gpt-4"] } }), "litellm.models.0"],
    ["three decimals of budget", onboarding({ litellm: { ...ACME_ONBOARDING.litellm, monthlyBudget: 10.005 } }), "litellm.monthlyBudget"],
    ["a negative budget", onboarding({ litellm: { ...ACME_ONBOARDING.litellm, monthlyBudget: -1 } }), "litellm.monthlyBudget"],
    ["an unknown budget duration", onboarding({ litellm: { ...ACME_ONBOARDING.litellm, budgetDuration: "1y" } }), "litellm.budgetDuration"],
    ["a 120% alert", onboarding({ litellm: { ...ACME_ONBOARDING.litellm, softBudgetThresholds: [120] } }), "litellm.softBudgetThresholds.0"],
    ["a deployment name over 40 characters", deployment({ name: "a".repeat(41) }), "name"],
    ["3 GPUs per replica", deployment({ gpusPerReplica: 3 }), "gpusPerReplica"],
    ["max below min", deployment({ minReplicas: 3, maxReplicas: 2 }), "maxReplicas"],
    ["33 replicas", deployment({ maxReplicas: 33 }), "maxReplicas"],
    ["a queue target of 0", deployment({ queueDepthTarget: 0 }), "queueDepthTarget"],
    ["a queue target of 257", deployment({ queueDepthTarget: 257 }), "queueDepthTarget"],
    ["an unknown priority", deployment({ priority: "urgent" }), "priority"],
    ["an unknown serving layer", deployment({ servingLayer: "triton" }), "servingLayer"],
    ["an empty model list", { ...MODEL_ACCESS, models: [] }, "models"],
    ["a string budget", { ...BUDGET_LIMITS, monthlyBudget: "100" }, "monthlyBudget"],
    ["an unknown kind", { kind: "delete-everything", tenant: "acme" }, "kind"],
  ])("refuse %s, on the field", (_label, request, field) => {
    expect(Object.keys(errorsOf(request))).toContain(field);
  });

  it("refuses a 70B on one L4 with errors on gpuType and gpusPerReplica", () => {
    const errors = errorsOf(deployment({ model: "llama-3.1-70b-instruct", gpuType: "L4", gpusPerReplica: 1 }));
    expect(errors.gpuType?.[0]).toContain("not offered on L4");
    expect(errors.gpusPerReplica?.[0]).toContain("needs about 159.4 GB of GPU memory, 1 × L4 gives 21.6 GB usable");
  });

  it("refuses a shape that is offered but too small, on both fields", () => {
    const errors = errorsOf({ ...KSERVE_LLAMA_8B, model: "llama-3.1-70b-instruct", gpuType: "A100-80GB", gpusPerReplica: 2 });
    expect(errors.gpusPerReplica?.[0]).toContain("use at least 4 × A100-80GB");
    expect(errors.gpuType?.[0]).toContain("A100-80GB is too small");
  });

  it("accepts qwen on one L4", () => {
    expect(errorsOf(deployment({}) satisfies GitopsRequestInput)).toEqual({});
  });
});
