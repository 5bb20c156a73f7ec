import type { RenderContextInput } from "../context";
import type { RepoFiles } from "../file-plan";
import { renderRequest, type RenderedFile } from "../render";
import type { GitopsRequestInput } from "../requests";

/** Test fixtures: the requests pinned by golden files, and how to render them. */

export const ACME_ONBOARDING = {
  kind: "tenant-onboarding",
  tenant: "acme",
  displayName: "Acme Corp",
  costCenter: "cc-4711",
  adminGroups: ["acme:platform-admins"],
  memberGroups: ["acme:developers", "acme:data-science"],
  quota: { gpuType: "L4", gpus: 8, cpu: 96, memoryGi: 384 },
  allowedRegistries: ["ghcr.io", "registry.acme.example"],
  litellm: {
    models: ["qwen2.5-0.5b-instruct", "llama-3.1-8b-instruct"],
    monthlyBudget: 2500,
    budgetDuration: "1mo",
    rpmLimit: 600,
    softBudgetThresholds: [80, 50],
  },
} satisfies GitopsRequestInput;

export const VLLM_QWEN = {
  kind: "model-deployment",
  tenant: "acme",
  name: "qwen-chat",
  model: "qwen2.5-0.5b-instruct",
  servingLayer: "vllm",
  gpuType: "L4",
  gpusPerReplica: 1,
  minReplicas: 0,
  maxReplicas: 4,
  queueDepthTarget: 8,
  priority: "critical",
} satisfies GitopsRequestInput;

export const KSERVE_LLAMA_8B = {
  kind: "model-deployment",
  tenant: "acme",
  name: "llama-8b",
  model: "llama-3.1-8b-instruct",
  servingLayer: "kserve",
  gpuType: "A100-80GB",
  gpusPerReplica: 1,
  minReplicas: 1,
  maxReplicas: 3,
  queueDepthTarget: 16,
} satisfies GitopsRequestInput;

export const LLMD_LLAMA_70B = {
  kind: "model-deployment",
  tenant: "acme",
  name: "llama-70b",
  model: "llama-3.1-70b-instruct",
  servingLayer: "llm-d",
  gpuType: "H100-80GB",
  gpusPerReplica: 4,
  minReplicas: 1,
  maxReplicas: 2,
  queueDepthTarget: 32,
  priority: "standard",
} satisfies GitopsRequestInput;

export const MODEL_ACCESS = {
  kind: "model-access",
  tenant: "acme",
  models: ["llama-3.1-8b-instruct", "llama-3.1-70b-instruct"],
} satisfies GitopsRequestInput;

export const BUDGET_LIMITS = {
  kind: "budget-limits",
  tenant: "acme",
  monthlyBudget: 4000.5,
  softBudgetThresholds: [90, 75],
  tpmLimit: 2_000_000,
} satisfies GitopsRequestInput;

export function asRepo(files: readonly RenderedFile[]): RepoFiles {
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}

export type GoldenCase = { name: string; request: GitopsRequestInput; base?: () => RepoFiles; context?: RenderContextInput };

const acmeRepo = () => asRepo(renderRequest(ACME_ONBOARDING));

export const GOLDEN_CASES: GoldenCase[] = [
  { name: "tenant-onboarding-acme", request: ACME_ONBOARDING },
  { name: "vllm-qwen-l4-priority", request: VLLM_QWEN },
  { name: "kserve-llama-8b-a100", request: KSERVE_LLAMA_8B },
  { name: "llm-d-llama-70b-4xh100", request: LLMD_LLAMA_70B },
  { name: "model-access-acme", request: MODEL_ACCESS, base: acmeRepo },
  { name: "budget-limits-acme", request: BUDGET_LIMITS, base: acmeRepo },
];

export function renderCase(c: GoldenCase): RenderedFile[] {
  return renderRequest(c.request, c.context, c.base?.());
}
