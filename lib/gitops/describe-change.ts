import { costEstimate, findGpu, fitCheck, type CostEstimate } from "@/lib/catalog/gpus";
import { findModel, modelName } from "@/lib/catalog/models";
import { dollarsToCents, formatCents } from "@/lib/money/cents";
import { resolveRenderContext, type RenderContext, type RenderContextInput } from "./context";
import type { RenderedFile, RepoFiles } from "./file-plan";
import { parseLiteLLMTeamFile, teamFilePath, type LiteLLMTeamSpec } from "./litellm-team";
import { filesToDelete } from "./render";
import { allowedRegistries, APPLICATION_SET_PATH } from "./render-tenant";
import {
  gitopsRequest,
  PRIORITY_VALUES,
  type BudgetLimitsRequest,
  type GitopsRequest,
  type GitopsRequestInput,
  type ModelAccessRequest,
  type ModelDeploymentRequest,
  type TenantOnboardingRequest,
} from "./requests";

/** What the change replaces: the repo's content before it, and the request that last wrote the same target. */
export type ChangeBaseline = {
  /** Repo content by path: at least the paths the change writes and litellm/teams/<tenant>.yaml. */
  files?: RepoFiles;
  /** For a model deployment: the request that last wrote the same tenant/name. */
  request?: GitopsRequest;
};

export type CostDelta = {
  /** Monthly cost change in cents at minimum and at maximum replicas (negative: cheaper). */
  minMonthCents: number;
  maxMonthCents: number;
  before?: CostEstimate;
  after: CostEstimate;
};

export type ChangeDescription = {
  title: string;
  summaryRows: [label: string, value: string][];
  costDelta?: CostDelta;
  checklist: string[];
};

const LAYERS = { vllm: "vLLM", kserve: "KServe", "llm-d": "llm-d (prefill/decode)" } as const;

/** The pull request's story: a title, a summary table, the cost change and what a reviewer should check. */
export function describeChange(
  input: GitopsRequestInput | GitopsRequest,
  files: readonly RenderedFile[],
  previous?: ChangeBaseline,
  contextInput?: RenderContextInput,
): ChangeDescription {
  const request = gitopsRequest.parse(input);
  const context = resolveRenderContext(contextInput);
  const described = describeKind(request, files, previous, context);
  return { ...described, summaryRows: [...described.summaryRows, ...fileRows(request, files, previous)] };
}

function describeKind(request: GitopsRequest, files: readonly RenderedFile[], previous: ChangeBaseline | undefined, context: RenderContext) {
  switch (request.kind) {
    case "tenant-onboarding":
      return describeOnboarding(request, files, context);
    case "model-deployment":
      return describeDeployment(request, previous, context);
    case "model-access":
      return describeModelAccess(request, previous);
    case "budget-limits":
      return describeBudget(request, previous);
  }
}

function describeOnboarding(request: TenantOnboardingRequest, files: readonly RenderedFile[], context: RenderContext): ChangeDescription {
  const team = request.litellm;
  const gpuHourCents = context.gpuPricesCents[request.quota.gpuType] * request.quota.gpus;
  const checklist = [
    `The secret store "${context.clusterSecretStore}" will hold the team's LiteLLM key at ${context.litellmKeyRemotePrefix}/${request.tenant} (property api_key): the portal writes it when it creates the team.`,
    `The secret store holds the Hugging Face token at ${context.hfTokenRemoteKey} (property token).`,
    `The Argo CD project "${context.argoProject}" allows the cluster-scoped Namespace and ValidatingPolicy (policies.kyverno.io) kinds.`,
    `The gateway ${context.gatewayNamespace}/${context.gatewayName} accepts HTTPRoutes from namespaces labelled portal.inference-platform.io/tenant.`,
    `Admin groups (${request.adminGroups.join(", ")}) are the IdP groups that should administer this tenant.`,
  ];
  if (files.some((f) => f.path === APPLICATION_SET_PATH)) {
    checklist.unshift(
      `This change bootstraps ${APPLICATION_SET_PATH}: apply it to Argo CD once (kubectl apply -n ${context.argocdNamespace} -f ${APPLICATION_SET_PATH}); later tenants are picked up from tenants/ automatically.`,
    );
  }
  return {
    title: `Onboard tenant ${request.displayName} (${request.tenant})`,
    summaryRows: [
      ["Tenant", request.tenant],
      ["Display name", request.displayName],
      ["Cost center", request.costCenter ?? "—"],
      ["Admin groups", request.adminGroups.join(", ")],
      ["Member groups", request.memberGroups.length ? request.memberGroups.join(", ") : "—"],
      ["GPU quota", `${request.quota.gpus} × ${request.quota.gpuType}`],
      ["CPU / memory quota", `${request.quota.cpu} cores / ${request.quota.memoryGi} GiB`],
      ["GPU quota ceiling", `${formatCents(gpuHourCents)}/hour, ${formatCents(gpuHourCents * 730)}/month if every GPU runs`],
      ["Image registries", allowedRegistries(request, context).join(", ")],
      ["Models", team.models.map(modelName).join(", ")],
      ["Budget", `${formatCents(dollarsToCents(team.monthlyBudget))} per ${team.budgetDuration}`],
      ["Rate limits", limits(team.rpmLimit ?? null, team.tpmLimit ?? null)],
      ["Budget alerts", thresholds(team.softBudgetThresholds)],
    ],
    checklist,
  };
}

function describeDeployment(request: ModelDeploymentRequest, previous: ChangeBaseline | undefined, context: RenderContext): ChangeDescription {
  const model = findModel(request.model)!;
  const gpu = findGpu(request.gpuType)!;
  const fit = fitCheck(model, gpu.id, request.gpusPerReplica);
  const after = costEstimate(request, context.gpuPricesCents);
  const prior = previous?.request;
  const before =
    prior?.kind === "model-deployment" && prior.tenant === request.tenant && prior.name === request.name
      ? costEstimate(prior, context.gpuPricesCents)
      : undefined;
  const roles = request.servingLayer === "llm-d" ? 2 : 1;
  const maxGpus = request.maxReplicas * request.gpusPerReplica * roles;
  const loadMinutes = Math.ceil((300 + model.weightsGb * 10) / 60);

  const checklist = [
    `${model.name} (~${model.weightsGb} GB of bf16 weights) plus headroom needs ~${gb(fit.requiredMb)} GB; ${request.gpusPerReplica} × ${gpu.id} gives ${gb(fit.usableMb)} GB usable, so vLLM runs with --max-model-len=${fit.maxModelLen}.`,
    `At maximum replicas this uses ${maxGpus} GPU${maxGpus === 1 ? "" : "s"}: the tenant's ResourceQuota (requests.nvidia.com/gpu) must allow it, or the extra replicas stay Pending.`,
    `LiteLLM's entry for ${model.id} in tenant ${request.tenant} points at http://<gateway>/${request.tenant}/${request.name}/v1.`,
  ];
  if (request.minReplicas === 0) {
    checklist.push(`minReplicas is 0: after an idle period the first request waits in the endpoint picker while a replica loads the model (about ${loadMinutes} minutes).`);
  }
  if (model.gated) checklist.push(`${model.hfRepo} is gated on Hugging Face: the platform's token must have been granted access.`);
  const team = teamFrom(previous?.files, request.tenant);
  if (team && !team.models.includes(request.model)) {
    checklist.push(`The tenant's LiteLLM team does not include ${request.model}: add it with a model-access request, or no key can call this deployment.`);
  }
  if (request.servingLayer === "kserve") {
    checklist.push(`KServe runs it in Standard mode with autoscalerClass "external": the ScaledObject scales the ${request.name}-predictor Deployment KServe creates.`);
  }
  if (request.servingLayer === "llm-d") {
    const hosts = Math.ceil(request.gpusPerReplica / context.gpusPerNode[gpu.id]);
    checklist.push(
      `llm-d: prefill and decode each get ${request.gpusPerReplica} × ${gpu.id} per replica; prompts with more than 256 uncached tokens are prefilled on a prefill pod and their KV cache moved to the decode pod over NIXL.`,
    );
    if (request.gpusPerReplica > 1) {
      checklist.push(`Each role is a LeaderWorkerSet (the LWS controller must be installed) of ${hosts} host${hosts === 1 ? "" : "s"} per replica.`);
    }
  }
  if (prior?.kind === "model-deployment" && prior.name === request.name && prior.servingLayer !== request.servingLayer) {
    checklist.push(`The serving layer changes from ${LAYERS[prior.servingLayer]} to ${LAYERS[request.servingLayer]}: the old workload is deleted with this change, so the deployment serves nothing until the new pods are ready.`);
  }

  const verb = before ? "Update" : "Deploy";
  return {
    title: `${verb} ${model.name} as ${request.name} for ${request.tenant} (${LAYERS[request.servingLayer]}, ${request.gpusPerReplica} × ${gpu.id})`,
    summaryRows: [
      ["Tenant", request.tenant],
      ["Deployment", request.name],
      ["Model", `${model.name} (${model.servedName})`],
      ["Serving layer", LAYERS[request.servingLayer]],
      ["GPUs per replica", `${request.gpusPerReplica} × ${gpu.id}${roles === 2 ? " per role (prefill and decode)" : ""}`],
      ["Replicas", `${request.minReplicas}–${request.maxReplicas}`],
      ["Scale on", `${request.queueDepthTarget} waiting request${request.queueDepthTarget === 1 ? "" : "s"} per replica`],
      ["Priority", request.priority ? `${request.priority} (${PRIORITY_VALUES[request.priority]})` : "— (no InferenceObjective)"],
      ["Max context", `${fit.maxModelLen.toLocaleString("en-US")} tokens`],
      ["Cost per replica", `${formatCents(after.perReplicaHourCents)}/hour`],
      ["Monthly cost", `${formatCents(after.minMonthCents)} at ${request.minReplicas} to ${formatCents(after.maxMonthCents)} at ${request.maxReplicas} replicas`],
      ["Endpoint", `/${request.tenant}/${request.name}/v1 on ${context.gatewayNamespace}/${context.gatewayName}`],
    ],
    costDelta: {
      minMonthCents: after.minMonthCents - (before?.minMonthCents ?? 0),
      maxMonthCents: after.maxMonthCents - (before?.maxMonthCents ?? 0),
      before,
      after,
    },
    checklist,
  };
}

function describeModelAccess(request: ModelAccessRequest, previous: ChangeBaseline | undefined): ChangeDescription {
  const current = teamFrom(previous?.files, request.tenant);
  const rows: [string, string][] = [
    ["Tenant", request.tenant],
    ["Models", request.models.map(modelName).join(", ")],
  ];
  const checklist = [`After merge the portal applies ${teamFilePath(request.tenant)} to LiteLLM.`];
  if (current) {
    const added = request.models.filter((m) => !current.models.includes(m));
    const removed = current.models.filter((m) => !(request.models as string[]).includes(m));
    rows.push(["Added", added.length ? added.map(modelName).join(", ") : "—"], ["Removed", removed.length ? removed.map(modelName).join(", ") : "—"]);
    if (removed.length) {
      checklist.push(`Keys of ${request.tenant} lose access to ${removed.map(modelName).join(", ")} as soon as the team is applied.`);
    }
  }
  return { title: `Set model access for ${request.tenant} (${request.models.length} model${request.models.length === 1 ? "" : "s"})`, summaryRows: rows, checklist };
}

function describeBudget(request: BudgetLimitsRequest, previous: ChangeBaseline | undefined): ChangeDescription {
  const current = teamFrom(previous?.files, request.tenant);
  const budgetCents = dollarsToCents(request.monthlyBudget);
  const was = (text: string, old: string | undefined) => (old !== undefined && old !== text ? `${text} (was ${old})` : text);
  const checklist = [`After merge the portal applies ${teamFilePath(request.tenant)} to LiteLLM.`];
  if (current && budgetCents < dollarsToCents(current.max_budget)) {
    checklist.push(`The budget goes down: if this period's spend is already above ${formatCents(budgetCents)}, the tenant's keys stop working until the period resets (${current.budget_duration}).`);
  }
  return {
    title: `Set budget and limits for ${request.tenant}`,
    summaryRows: [
      ["Tenant", request.tenant],
      ["Budget", was(`${formatCents(budgetCents)} per ${current?.budget_duration ?? "period"}`, current && `${formatCents(dollarsToCents(current.max_budget))} per ${current.budget_duration}`)],
      ["Rate limits", was(limits(request.rpmLimit ?? null, request.tpmLimit ?? null), current && limits(current.rpm_limit, current.tpm_limit))],
      ["Budget alerts", was(thresholds(request.softBudgetThresholds), current && thresholds(current.soft_budget_thresholds))],
    ],
    checklist,
  };
}

function fileRows(request: GitopsRequest, files: readonly RenderedFile[], previous: ChangeBaseline | undefined): [string, string][] {
  const before = previous?.files;
  if (!before) return [["Files", `${files.length} written`]];
  const added = files.filter((f) => before[f.path] === undefined).length;
  const changed = files.filter((f) => before[f.path] !== undefined && before[f.path] !== f.content).length;
  const deleted = filesToDelete(request, files, Object.keys(before)).length;
  return [["Files", `${added} added, ${changed} changed, ${files.length - added - changed} unchanged, ${deleted} deleted`]];
}

function teamFrom(files: RepoFiles | undefined, tenant: string): LiteLLMTeamSpec | undefined {
  const content = files?.[teamFilePath(tenant)];
  if (content === undefined) return undefined;
  try {
    return parseLiteLLMTeamFile(content).spec;
  } catch {
    return undefined; // a hand-edited, unreadable file: describe the change without the comparison
  }
}

function limits(rpm: number | null, tpm: number | null): string {
  const fmt = (n: number | null, unit: string) => (n === null ? `no ${unit} limit` : `${n.toLocaleString("en-US")} ${unit}`);
  return `${fmt(rpm, "rpm")}, ${fmt(tpm, "tpm")}`;
}

function thresholds(list: readonly number[]): string {
  return list.length ? list.map((t) => `${t}%`).join(", ") : "—";
}

function gb(mb: number): string {
  return (Math.round(mb / 100) / 10).toFixed(1);
}
