import { z } from "zod";
import { MODEL_IDS } from "@/lib/catalog/models";
import { GPU_TYPE_IDS, GPUS_PER_REPLICA, fitProblems } from "@/lib/catalog/gpus";
import { dollarAmount } from "@/lib/money/dollar-amount";
import { BUDGET_DURATIONS } from "@/lib/tenants/schemas";

/**
 * What tenant admins ask for. Every value that reaches a template passes through one of these
 * schemas first; the renderer parses again, so nothing unvalidated is ever rendered.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes DNS-1123 label: becomes a namespace, an object name, a path segment. */
export const dnsLabel = (max = 63) =>
  z
    .string({ error: "Required" })
    .min(1, "Required")
    .max(max, `At most ${max} characters`)
    .regex(DNS_LABEL, "Lowercase letters, digits and '-', starting and ending with a letter or digit");

// Namespaces the platform itself lives in; a tenant may never be handed one of them.
const RESERVED_SLUGS = new Set([
  "default", "argocd", "monitoring", "keda", "kyverno", "external-secrets", "kserve", "cert-manager",
  "gateway-system", "inference-gateway", "lws-system", "gpu-operator", "litellm", "inference-portal",
]);

export const tenantSlug = dnsLabel(63)
  .refine((s) => !s.startsWith("kube-") && !s.startsWith("openshift-"), "Names starting with kube- or openshift- are reserved")
  .refine((s) => !RESERVED_SLUGS.has(s), "This name is reserved for the platform");

// Object names get suffixes (-epp, -decode, -predictor, LWS pod indexes); 40 leaves room for them.
export const deploymentName = dnsLabel(40);

// One line of printable text: control characters (newlines included) never belong in a name.
const singleLine = (max: number) =>
  z
    .string({ error: "Required" })
    .trim()
    .min(1, "Required")
    .max(max, `At most ${max} characters`)
    .regex(/^[^\p{Cc}\p{Zl}\p{Zp}]+$/u, "Use a single line without control characters");

/** A Kubernetes label value (the cost center becomes a namespace label OpenCost aggregates by). */
export const labelValue = z
  .string()
  .trim()
  .min(1, "Required")
  .max(63, "At most 63 characters")
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "Letters, digits, '-', '_' and '.', starting and ending with a letter or digit");

/** An IdP group as Dex puts it in the groups claim ("org:team", "cn=admins,ou=groups"): any one-line text. */
export const groupName = singleLine(256);

/** A container registry host, optionally with a port: what precedes the first '/' of an image. */
export const registryHost = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "At most 253 characters")
  .regex(
    /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:[0-9]{1,5})?$/,
    "A registry host name such as ghcr.io or registry.example.com:5000",
  );

const uniqueList = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((list) => new Set(list.map((v) => JSON.stringify(v))).size === list.length, "Contains duplicates");

export const SERVING_LAYERS = ["vllm", "kserve", "llm-d"] as const;
export const PRIORITIES = ["critical", "standard", "sheddable"] as const;

/** GIE InferenceObjective priority: higher is served first; negative is shed first under load. */
export const PRIORITY_VALUES: Record<(typeof PRIORITIES)[number], number> = { critical: 10, standard: 0, sheddable: -10 };

const modelId = z.enum(MODEL_IDS, { error: "Not a model of the catalog" });
const gpuType = z.enum(GPU_TYPE_IDS, { error: `One of ${GPU_TYPE_IDS.join(", ")}` });
const rpmLimit = z.number().int("Whole requests per minute").positive("Must be positive").max(1_000_000, "At most 1,000,000").nullable();
const tpmLimit = z.number().int("Whole tokens per minute").positive("Must be positive").max(1_000_000_000, "At most 1,000,000,000").nullable();
const softBudgetThresholds = uniqueList(
  z.number().int("Whole percent").min(1, "At least 1%").max(100, "At most 100%"),
)
  .max(5, "At most 5 thresholds")
  .transform((list) => [...list].sort((a, b) => a - b));
const modelList = uniqueList(modelId).min(1, "Pick at least one model");

export const tenantOnboardingRequest = z
  .object({
    kind: z.literal("tenant-onboarding"),
    tenant: tenantSlug,
    displayName: singleLine(100),
    costCenter: labelValue.optional(),
    adminGroups: uniqueList(groupName).min(1, "At least one admin group").max(20, "At most 20 groups"),
    memberGroups: uniqueList(groupName).max(20, "At most 20 groups").default([]),
    quota: z.object({
      gpuType,
      gpus: z.number().int("Whole GPUs").min(0, "At least 0").max(64, "At most 64"),
      cpu: z.number().int("Whole cores").min(1, "At least 1 core").max(1024, "At most 1024 cores"),
      memoryGi: z.number().int("Whole GiB").min(1, "At least 1 GiB").max(16384, "At most 16384 GiB"),
    }),
    allowedRegistries: uniqueList(registryHost).max(20, "At most 20 registries").default([]),
    litellm: z.object({
      models: modelList,
      monthlyBudget: dollarAmount,
      budgetDuration: z.enum(BUDGET_DURATIONS, { error: `One of ${BUDGET_DURATIONS.join(", ")}` }).default("1mo"),
      rpmLimit: rpmLimit.optional(),
      tpmLimit: tpmLimit.optional(),
      softBudgetThresholds: softBudgetThresholds.default([]),
    }),
  })
  .superRefine((value, ctx) => {
    for (const [i, group] of value.memberGroups.entries()) {
      if (value.adminGroups.includes(group)) {
        ctx.addIssue({ code: "custom", path: ["memberGroups", i], message: "Also listed as an admin group" });
      }
    }
  });

export const modelDeploymentRequest = z
  .object({
    kind: z.literal("model-deployment"),
    tenant: tenantSlug,
    name: deploymentName,
    model: modelId,
    servingLayer: z.enum(SERVING_LAYERS, { error: `One of ${SERVING_LAYERS.join(", ")}` }),
    gpuType,
    gpusPerReplica: z
      .number()
      .refine((n) => (GPUS_PER_REPLICA as readonly number[]).includes(n), `One of ${GPUS_PER_REPLICA.join(", ")} (tensor parallel size)`),
    minReplicas: z.number().int("Whole replicas").min(0, "At least 0").max(32, "At most 32"),
    maxReplicas: z.number().int("Whole replicas").min(1, "At least 1").max(32, "At most 32"),
    queueDepthTarget: z.number().int("Whole requests").min(1, "At least 1").max(256, "At most 256"),
    priority: z.enum(PRIORITIES, { error: `One of ${PRIORITIES.join(", ")}` }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.maxReplicas < value.minReplicas) {
      ctx.addIssue({ code: "custom", path: ["maxReplicas"], message: "Must be at least the minimum replicas" });
    }
    const problems = fitProblems(value.model, value.gpuType, value.gpusPerReplica);
    if (problems.gpuType) ctx.addIssue({ code: "custom", path: ["gpuType"], message: problems.gpuType });
    if (problems.gpusPerReplica) ctx.addIssue({ code: "custom", path: ["gpusPerReplica"], message: problems.gpusPerReplica });
  });

/** The tenant's complete new model list (not a delta): what LiteLLM will allow its keys. */
export const modelAccessRequest = z.object({
  kind: z.literal("model-access"),
  tenant: tenantSlug,
  models: modelList,
});

/** The tenant's complete new limits: an omitted rpm/tpm limit means "no limit". */
export const budgetLimitsRequest = z.object({
  kind: z.literal("budget-limits"),
  tenant: tenantSlug,
  monthlyBudget: dollarAmount,
  softBudgetThresholds: softBudgetThresholds,
  rpmLimit: rpmLimit.optional(),
  tpmLimit: tpmLimit.optional(),
});

export const gitopsRequest = z.discriminatedUnion("kind", [
  tenantOnboardingRequest,
  modelDeploymentRequest,
  modelAccessRequest,
  budgetLimitsRequest,
]);

export type TenantOnboardingRequest = z.output<typeof tenantOnboardingRequest>;
export type ModelDeploymentRequest = z.output<typeof modelDeploymentRequest>;
export type ModelAccessRequest = z.output<typeof modelAccessRequest>;
export type BudgetLimitsRequest = z.output<typeof budgetLimitsRequest>;
export type GitopsRequest = z.output<typeof gitopsRequest>;
export type GitopsRequestInput = z.input<typeof gitopsRequest>;
export type GitopsRequestKind = GitopsRequest["kind"];
