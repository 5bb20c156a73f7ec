import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AppError } from "@/lib/http/errors";
import { DEFAULT_RENDER_CONTEXT } from "./context";
import { filesToDelete, renderBootstrap, renderRequest } from "./render";
import { gitopsRequest } from "./requests";
import { ACME_ONBOARDING, asRepo, BUDGET_LIMITS, GOLDEN_CASES, KSERVE_LLAMA_8B, LLMD_LLAMA_70B, MODEL_ACCESS, renderCase, VLLM_QWEN } from "./testing/cases";

const byPath = (files: { path: string; content: string }[], suffix: string) => parse(files.find((f) => f.path.endsWith(suffix))!.content);

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, shuffleKeys(v)]));
}

describe("determinism", () => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))("%s renders byte-identical twice, whatever the input key order", (_name, c) => {
    const first = renderCase(c);
    expect(renderCase(c)).toEqual(first);
    expect(renderRequest(shuffleKeys(c.request) as typeof c.request, c.context, c.base?.())).toEqual(first);
  });

  it("sorts files by path", () => {
    const paths = renderCase(GOLDEN_CASES[0]!).map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
  });
});

describe("tenant onboarding", () => {
  const files = renderRequest(ACME_ONBOARDING);

  it("bootstraps the ApplicationSet only while the repo has none", () => {
    expect(files.map((f) => f.path)).toContain("argocd/applicationset.yaml");
    const second = renderRequest({ ...ACME_ONBOARDING, tenant: "globex" }, undefined, asRepo(files));
    expect(second.map((f) => f.path)).not.toContain("argocd/applicationset.yaml");
    expect(renderBootstrap().map((f) => f.path)).toEqual(["argocd/applicationset.yaml"]);
  });

  it("generates one Application per tenant folder, synced with prune and selfHeal, namespace from the folder", () => {
    const appSet = byPath(files, "applicationset.yaml");
    expect(appSet.spec.generators[0].git.directories).toEqual([{ path: "tenants/*" }]);
    expect(appSet.spec.template.metadata.name).toBe("tenant-{{path.basename}}");
    expect(appSet.spec.template.spec.destination.namespace).toBe("{{path.basename}}");
    expect(appSet.spec.template.spec.source.directory.recurse).toBe(true);
    expect(appSet.spec.template.spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=false"] });
  });

  it("skips the members RoleBinding when there are no member groups, and the cost-center label without one", () => {
    const lean = renderRequest({ ...ACME_ONBOARDING, memberGroups: [], costCenter: undefined });
    expect(lean.map((f) => f.path)).not.toContain("tenants/acme/rolebinding-members.yaml");
    expect(byPath(lean, "namespace.yaml").metadata.labels).not.toHaveProperty("portal.inference-platform.io/cost-center");
    expect(byPath(lean, "teams/acme.yaml").spec.metadata.cost_center).toBeNull();
  });

  it("never puts a secret value in Git: secrets only as ExternalSecret references", () => {
    for (const file of files) expect(parse(file.content).kind).not.toBe("Secret");
    expect(byPath(files, "externalsecret-litellm-key.yaml").spec.data[0].remoteRef).toEqual({
      key: `${DEFAULT_RENDER_CONTEXT.litellmKeyRemotePrefix}/acme`,
      property: "api_key",
    });
  });

  it("allows the tenant's registries plus those of the platform's images", () => {
    const policy = byPath(files, "policy-allowed-registries.yaml");
    expect(JSON.parse(policy.spec.variables[0].expression)).toEqual(["docker.io", "ghcr.io", "registry.acme.example"]);
  });

  it("refuses a tenant named like a configured platform namespace", () => {
    expect(() => renderRequest({ ...ACME_ONBOARDING, tenant: "gw" }, { gatewayNamespace: "gw" })).toThrow(AppError);
  });
});

describe("model deployments", () => {
  it("vLLM: queue-depth ScaledObject with the exact vLLM query, threshold and bounds", () => {
    const so = byPath(renderRequest(VLLM_QWEN), "scaledobject.yaml");
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "qwen-chat" });
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.maxReplicaCount).toBe(4);
    expect(so.spec.triggers[0].metadata).toMatchObject({
      query: 'sum(vllm:num_requests_waiting{namespace="acme",model_name="Qwen/Qwen2.5-0.5B-Instruct"})',
      threshold: "8",
    });
  });

  it("vLLM: no replica count in Git (KEDA owns it), surge-only rollout, GPU node selector", () => {
    const deployment = byPath(renderRequest(VLLM_QWEN), "/deployment.yaml");
    expect(deployment.spec).not.toHaveProperty("replicas");
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-L4" });
    expect(deployment.spec.template.spec.containers[0].args).toContain("--max-model-len=32768");
  });

  it("PDB: minAvailable 1 with a replica floor, maxUnavailable 1 without", () => {
    expect(byPath(renderRequest(VLLM_QWEN), "pdb.yaml").spec).toMatchObject({ maxUnavailable: 1 });
    expect(byPath(renderRequest(VLLM_QWEN), "pdb.yaml").spec).not.toHaveProperty("minAvailable");
    const floor = byPath(renderRequest({ ...VLLM_QWEN, minReplicas: 1 }), "pdb.yaml").spec;
    expect(floor).toMatchObject({ minAvailable: 1 });
    expect(floor).not.toHaveProperty("maxUnavailable");
  });

  it("priority: an InferenceObjective and the route's objective header only when set", () => {
    const withPriority = renderRequest(VLLM_QWEN);
    expect(byPath(withPriority, "inferenceobjective.yaml").spec.priority).toBe(10);
    const headers = byPath(withPriority, "httproute.yaml").spec.rules[0].filters[1].requestHeaderModifier.set;
    expect(headers).toContainEqual({ name: "x-gateway-inference-objective", value: "qwen-chat" });

    const without = renderRequest({ ...VLLM_QWEN, priority: undefined });
    expect(without.map((f) => f.path)).not.toContain("tenants/acme/models/qwen-chat/inferenceobjective.yaml");
    const plain = byPath(without, "httproute.yaml").spec.rules[0].filters[1].requestHeaderModifier.set;
    expect(plain).toEqual([{ name: "x-gateway-inference-fairness-id", value: "acme" }]);
  });

  it("routes the tenant path to the InferencePool through the platform gateway", () => {
    const route = byPath(renderRequest(VLLM_QWEN), "httproute.yaml");
    expect(route.spec.parentRefs[0]).toMatchObject({ name: "inference-gateway", namespace: "inference-gateway" });
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: "inference.networking.k8s.io", kind: "InferencePool", name: "qwen-chat" }]);
    expect(route.spec.rules[0].matches[0].path.value).toBe("/acme/qwen-chat/v1");
  });

  it("KServe: Standard mode, external autoscaler, ScaledObject on the predictor Deployment", () => {
    const files = renderRequest(KSERVE_LLAMA_8B);
    expect(byPath(files, "inferenceservice.yaml").metadata.annotations).toEqual({
      "serving.kserve.io/deploymentMode": "Standard",
      "serving.kserve.io/autoscalerClass": "external",
    });
    expect(byPath(files, "scaledobject.yaml").spec.scaleTargetRef.name).toBe("llama-8b-predictor");
    expect(byPath(files, "servingruntime.yaml").spec.containers[0].args).toContain("--max-model-len=131072");
  });

  it("llm-d: LeaderWorkerSets for multi-GPU replicas, Deployments for one GPU, roles labelled", () => {
    const multi = renderRequest(LLMD_LLAMA_70B);
    const decode = byPath(multi, "/decode.yaml");
    expect(decode.kind).toBe("LeaderWorkerSet");
    expect(decode.spec.leaderWorkerTemplate.leaderTemplate.metadata.labels["llm-d.ai/role"]).toBe("decode");
    expect(decode.spec.leaderWorkerTemplate.leaderTemplate.spec.initContainers[0].name).toBe("routing-proxy");
    const prefill = byPath(multi, "/prefill.yaml");
    expect(prefill.spec.leaderWorkerTemplate.leaderTemplate.metadata.labels["llm-d.ai/role"]).toBe("prefill");
    expect(prefill.spec.leaderWorkerTemplate.leaderTemplate.spec).not.toHaveProperty("initContainers");
    expect(byPath(multi, "scaledobject-decode.yaml").spec.scaleTargetRef).toEqual({
      apiVersion: "leaderworkerset.x-k8s.io/v1",
      kind: "LeaderWorkerSet",
      name: "llama-70b-decode",
    });
    expect(byPath(multi, "epp-config.yaml").data["epp-config.yaml"]).toContain("pd-profile-handler");

    const single = renderRequest({ ...LLMD_LLAMA_70B, model: "qwen2.5-0.5b-instruct", gpuType: "L4", gpusPerReplica: 1 });
    expect(byPath(single, "/decode.yaml").kind).toBe("Deployment");
    expect(byPath(single, "/prefill.yaml").kind).toBe("Deployment");
  });

  it("lists the files a changed deployment no longer writes, and nothing outside what it owns", () => {
    const before = asRepo([...renderRequest(ACME_ONBOARDING), ...renderRequest(VLLM_QWEN), ...renderRequest({ ...VLLM_QWEN, name: "other" })]);
    const request = gitopsRequest.parse({ ...VLLM_QWEN, servingLayer: "llm-d", priority: undefined });
    const stale = filesToDelete(request, renderRequest(request), Object.keys(before));
    expect(stale).toEqual([
      "tenants/acme/models/qwen-chat/deployment.yaml",
      "tenants/acme/models/qwen-chat/inferenceobjective.yaml",
      "tenants/acme/models/qwen-chat/pdb.yaml",
      "tenants/acme/models/qwen-chat/scaledobject.yaml",
      "tenants/acme/models/qwen-chat/service.yaml",
    ]);
    const onboarding = gitopsRequest.parse({ ...ACME_ONBOARDING, memberGroups: [] });
    expect(filesToDelete(onboarding, renderRequest(onboarding, undefined, before), Object.keys(before))).toEqual([
      "tenants/acme/rolebinding-members.yaml",
    ]);
  });
});

describe("team changes", () => {
  const base = asRepo(renderRequest(ACME_ONBOARDING));

  it("model access rewrites only the team file, with the full new list and the rest kept", () => {
    const files = renderRequest(MODEL_ACCESS, undefined, base);
    expect(files.map((f) => f.path)).toEqual(["litellm/teams/acme.yaml"]);
    const team = parse(files[0]!.content).spec;
    const before = parse(base["litellm/teams/acme.yaml"]!).spec;
    expect(team).toEqual({ ...before, models: MODEL_ACCESS.models });
  });

  it("budget limits set budget, alerts and both rate limits (omitted = no limit)", () => {
    const team = parse(renderRequest(BUDGET_LIMITS, undefined, base)[0]!.content).spec;
    expect(team).toMatchObject({ max_budget: 4000.5, soft_budget_thresholds: [75, 90], rpm_limit: null, tpm_limit: 2_000_000, budget_duration: "1mo" });
  });

  it("needs the tenant's team file (an onboarded tenant)", () => {
    expect(() => renderRequest(MODEL_ACCESS)).toThrow("onboard it first");
    expect(() => renderRequest(BUDGET_LIMITS, undefined, {})).toThrow(AppError);
  });
});
