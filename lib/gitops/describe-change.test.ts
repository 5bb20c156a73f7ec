import { describe, expect, it } from "vitest";
import { describeChange } from "./describe-change";
import { renderRequest } from "./render";
import { gitopsRequest } from "./requests";
import { ACME_ONBOARDING, asRepo, BUDGET_LIMITS, KSERVE_LLAMA_8B, LLMD_LLAMA_70B, MODEL_ACCESS, VLLM_QWEN } from "./testing/cases";

const rows = (d: { summaryRows: [string, string][] }) => Object.fromEntries(d.summaryRows);
const acme = asRepo(renderRequest(ACME_ONBOARDING));

describe("describeChange", () => {
  it("onboarding: who, what quota, what budget, and the bootstrap step on the first tenant", () => {
    const d = describeChange(ACME_ONBOARDING, renderRequest(ACME_ONBOARDING));
    expect(d.title).toBe("Onboard tenant Acme Corp (acme)");
    expect(rows(d)).toMatchObject({
      Tenant: "acme",
      "GPU quota": "8 × L4",
      Budget: "$2,500.00 per 1mo",
      "Rate limits": "600 rpm, no tpm limit",
      "Budget alerts": "50%, 80%",
      "Image registries": "docker.io, ghcr.io, registry.acme.example",
      "GPU quota ceiling": "$6.40/hour, $4,672.00/month if every GPU runs",
      Files: "20 written",
    });
    expect(d.checklist[0]).toContain("bootstraps argocd/applicationset.yaml");
    expect(d.costDelta).toBeUndefined();
  });

  it("deployment: fit, cost in cents, and the whole cost as delta for a new deployment", () => {
    const d = describeChange(LLMD_LLAMA_70B, renderRequest(LLMD_LLAMA_70B));
    expect(d.title).toBe("Deploy Llama 3.1 70B Instruct as llama-70b for acme (llm-d (prefill/decode), 4 × H100-80GB)");
    expect(rows(d)).toMatchObject({
      "GPUs per replica": "4 × H100-80GB per role (prefill and decode)",
      Replicas: "1–2",
      "Cost per replica": "$55.20/hour",
      "Monthly cost": "$40,296.00 at 1 to $80,592.00 at 2 replicas",
      "Max context": "131,072 tokens",
      Priority: "standard (0)",
    });
    expect(d.costDelta).toMatchObject({ minMonthCents: 4_029_600, maxMonthCents: 8_059_200 });
    expect(d.checklist.join("\n")).toContain("uses 16 GPUs");
    expect(d.checklist.join("\n")).toContain("LeaderWorkerSet");
    expect(d.checklist.join("\n")).toContain("gated on Hugging Face");
  });

  it("deployment update: the delta against the request it replaces, file counts and the layer switch", () => {
    const previous = gitopsRequest.parse(VLLM_QWEN);
    const next = { ...VLLM_QWEN, servingLayer: "kserve" as const, maxReplicas: 6 };
    const files = renderRequest(next);
    const d = describeChange(next, files, { request: previous, files: asRepo([...renderRequest(ACME_ONBOARDING), ...renderRequest(VLLM_QWEN)]) });
    expect(d.title.startsWith("Update ")).toBe(true);
    expect(d.costDelta).toMatchObject({ minMonthCents: 0, maxMonthCents: 2 * 80 * 730 });
    expect(rows(d).Files).toBe("2 added, 1 changed, 10 unchanged, 2 deleted");
    expect(d.checklist.join("\n")).toContain("changes from vLLM to KServe");
    expect(d.checklist.join("\n")).toContain("minReplicas is 0");
  });

  it("deployment of a model the tenant's team does not include: says so", () => {
    const d = describeChange(LLMD_LLAMA_70B, renderRequest(LLMD_LLAMA_70B), { files: acme });
    expect(d.checklist.join("\n")).toContain("does not include llama-3.1-70b-instruct");
    const ok = describeChange(KSERVE_LLAMA_8B, renderRequest(KSERVE_LLAMA_8B), { files: acme });
    expect(ok.checklist.join("\n")).not.toContain("does not include");
  });

  it("model access: added and removed models", () => {
    const d = describeChange(MODEL_ACCESS, renderRequest(MODEL_ACCESS, undefined, acme), { files: acme });
    expect(rows(d)).toMatchObject({ Added: "Llama 3.1 70B Instruct", Removed: "Qwen2.5 0.5B Instruct" });
    expect(d.checklist.join("\n")).toContain("lose access to Qwen2.5 0.5B Instruct");
  });

  it("budget limits: new values next to the old ones", () => {
    const d = describeChange(BUDGET_LIMITS, renderRequest(BUDGET_LIMITS, undefined, acme), { files: acme });
    expect(rows(d)).toMatchObject({
      Budget: "$4,000.50 per 1mo (was $2,500.00 per 1mo)",
      "Rate limits": "no rpm limit, 2,000,000 tpm (was 600 rpm, no tpm limit)",
      "Budget alerts": "75%, 90% (was 50%, 80%)",
    });
    const lower = { ...BUDGET_LIMITS, monthlyBudget: 100 };
    expect(describeChange(lower, renderRequest(lower, undefined, acme), { files: acme }).checklist.join("\n")).toContain("The budget goes down");
  });
});
