import { findModel, type CatalogModel } from "@/lib/catalog/models";
import { fitCheck, findGpu, type GpuType } from "@/lib/catalog/gpus";
import { OMIT, type TemplateValues } from "./template-engine";
import type { RenderContext } from "./context";
import { PRIORITY_VALUES, type ModelDeploymentRequest } from "./requests";
import type { FilePlan } from "./file-plan";
import { tenantDir } from "./render-tenant";

export function modelDir(tenant: string, name: string): string {
  return `${tenantDir(tenant)}/models/${name}`;
}

const ROUTING = [
  "epp-service-account.yaml",
  "epp-role.yaml",
  "epp-role-binding.yaml",
  "epp-deployment.yaml",
  "epp-service.yaml",
  "inferencepool.yaml",
  "httproute.yaml",
  "inferenceobjective.yaml",
] as const;

const PREFILL_DECODE_PORTS = { decode: 8200, prefill: 8000 } as const;
const KV_TRANSFER = {
  decode: '{"kv_connector":"NixlConnector","kv_role":"kv_both"}',
  prefill: '{"kv_connector":"NixlConnector","kv_role":"kv_producer"}',
} as const;

/** The file plans of a model deployment: workload per serving layer, plus routing and scaling. */
export function modelPlans(request: ModelDeploymentRequest, context: RenderContext): FilePlan[] {
  const model = findModel(request.model);
  const gpu = findGpu(request.gpuType);
  if (!model || !gpu) throw new Error(`Unknown model or GPU: ${request.model}, ${request.gpuType}`);
  const fit = fitCheck(model, gpu.id, request.gpusPerReplica);
  // The request schema refuses shapes that do not fit; this guards callers that skipped it.
  if (!fit.fits) throw new Error(`${request.model} does not fit ${request.gpusPerReplica} × ${gpu.id}`);

  const dir = modelDir(request.tenant, request.name);
  const base = baseValues(request, context, model, gpu, fit.maxModelLen);
  const plan = (template: string, file: string, values: TemplateValues = base): FilePlan => ({
    template,
    path: `${dir}/${file}`,
    values,
  });
  const routing = ROUTING.map((file) => plan(`model/routing/${file}`, file));

  if (request.servingLayer === "vllm") {
    return [
      plan("model/vllm/deployment.yaml", "deployment.yaml"),
      plan("model/vllm/service.yaml", "service.yaml"),
      plan("model/autoscaling/pdb.yaml", "pdb.yaml", { ...base, ...availability(request, request.name, "server") }),
      plan("model/autoscaling/scaledobject.yaml", "scaledobject.yaml", {
        ...base,
        ...scaling(request, context, model, request.name, "server", "apps/v1", "Deployment", request.name),
      }),
      plan("model/routing/epp-config.yaml", "epp-config.yaml"),
      ...routing,
    ];
  }

  if (request.servingLayer === "kserve") {
    // KServe (Standard mode) names the Deployment it creates <isvc>-predictor.
    const predictor = `${request.name}-predictor`;
    return [
      plan("model/kserve/servingruntime.yaml", "servingruntime.yaml"),
      plan("model/kserve/inferenceservice.yaml", "inferenceservice.yaml"),
      plan("model/autoscaling/pdb.yaml", "pdb.yaml", { ...base, ...availability(request, request.name, "server") }),
      plan("model/autoscaling/scaledobject.yaml", "scaledobject.yaml", {
        ...base,
        ...scaling(request, context, model, request.name, "server", "apps/v1", "Deployment", predictor),
      }),
      plan("model/routing/epp-config.yaml", "epp-config.yaml"),
      ...routing,
    ];
  }

  // llm-d: a prefill and a decode workload. LeaderWorkerSet when a replica needs more than one
  // GPU (a group scheduled and restarted as a unit, spanning hosts when one node is too small),
  // plain Deployments otherwise.
  const multiGpu = request.gpusPerReplica > 1;
  const roles = (["decode", "prefill"] as const).flatMap((role) => {
    const workloadName = `${request.name}-${role}`;
    const values: TemplateValues = { ...base, ...roleValues(request, context, model, gpu, fit.maxModelLen, role, workloadName) };
    const kind = multiGpu ? "LeaderWorkerSet" : "Deployment";
    const apiVersion = multiGpu ? "leaderworkerset.x-k8s.io/v1" : "apps/v1";
    return [
      plan(multiGpu ? "model/llm-d/leaderworkerset.yaml" : "model/llm-d/deployment.yaml", `${role}.yaml`, values),
      plan("model/autoscaling/pdb.yaml", `pdb-${role}.yaml`, { ...values, ...availability(request, workloadName, role) }),
      plan("model/autoscaling/scaledobject.yaml", `scaledobject-${role}.yaml`, {
        ...values,
        ...scaling(request, context, model, workloadName, role, apiVersion, kind, workloadName, `${workloadName}-.*`),
      }),
    ];
  });
  return [...roles, plan("model/llm-d/epp-config.yaml", "epp-config.yaml"), ...routing];
}

function baseValues(
  request: ModelDeploymentRequest,
  context: RenderContext,
  model: CatalogModel,
  gpu: GpuType,
  maxModelLen: number,
): TemplateValues {
  const gpus = request.gpusPerReplica;
  return {
    tenant: request.tenant,
    name: request.name,
    model: model.id,
    hfRepo: model.hfRepo,
    servedName: model.servedName,
    modelArgs: model.vllmArgs,
    maxModelLen,
    tensorParallelSize: gpus,
    gpusPerReplica: gpus,
    gpuProduct: gpu.productLabel,
    cpuPerReplica: gpu.hostCpuPerGpu * gpus,
    memoryPerReplica: `${gpu.hostMemoryGiPerGpu * gpus}Gi`,
    // About a minute per 6 GB of weights on top of five minutes for image pull and startup.
    startupFailureThreshold: Math.ceil((300 + Math.ceil(model.weightsGb * 10)) / 10),
    modelCacheSize: `${Math.ceil(model.weightsGb * 1.2) + 5}Gi`,
    shmSize: `${Math.min(16, 2 * gpus)}Gi`,
    vllmImage: context.vllmImage,
    eppImage: context.eppImage,
    routingSidecarImage: context.routingSidecarImage,
    gatewayName: context.gatewayName,
    gatewayNamespace: context.gatewayNamespace,
    minReplicas: request.minReplicas,
    maxReplicas: request.maxReplicas,
    hasPriority: request.priority !== undefined,
    priority: request.priority ?? OMIT,
    priorityValue: request.priority === undefined ? OMIT : PRIORITY_VALUES[request.priority],
  };
}

function availability(request: ModelDeploymentRequest, pdbName: string, role: string): TemplateValues {
  const keepOne = request.minReplicas >= 1;
  return { pdbName, role, pdbMinAvailable: keepOne ? 1 : OMIT, pdbMaxUnavailable: keepOne ? OMIT : 1 };
}

function scaling(
  request: ModelDeploymentRequest,
  context: RenderContext,
  model: CatalogModel,
  scaledObjectName: string,
  role: string,
  apiVersion: string,
  kind: string,
  targetName: string,
  podPattern?: string,
): TemplateValues {
  // Label values here are DNS labels and catalog names: nothing can break out of the quotes.
  const selectors = [`namespace="${request.tenant}"`, `model_name="${model.servedName}"`];
  if (podPattern) selectors.push(`pod=~"${podPattern}"`);
  return {
    scaledObjectName,
    role,
    scaleTargetApiVersion: apiVersion,
    scaleTargetKind: kind,
    scaleTargetName: targetName,
    prometheusUrl: context.prometheusUrl,
    queueQuery: `sum(vllm:num_requests_waiting{${selectors.join(",")}})`,
    pickerQueueQuery: `sum(inference_extension_flow_control_queue_size{namespace="${request.tenant}",inference_pool="${request.name}"})`,
    queueDepthTarget: request.queueDepthTarget,
  };
}

function roleValues(
  request: ModelDeploymentRequest,
  context: RenderContext,
  model: CatalogModel,
  gpu: GpuType,
  maxModelLen: number,
  role: "decode" | "prefill",
  workloadName: string,
): TemplateValues {
  const gpus = request.gpusPerReplica;
  const hosts = Math.ceil(gpus / context.gpusPerNode[gpu.id]);
  if (gpus % hosts !== 0) throw new Error(`${gpus} GPUs do not split evenly over ${hosts} hosts of ${gpu.id}`);
  const gpusPerHost = gpus / hosts;
  const vllmPort = PREFILL_DECODE_PORTS[role];
  const serveArgs = [
    `--model=${model.hfRepo}`,
    `--served-model-name=${model.servedName}`,
    `--tensor-parallel-size=${gpusPerHost}`,
    ...(hosts > 1 ? [`--pipeline-parallel-size=${hosts}`, "--distributed-executor-backend=ray"] : []),
    `--max-model-len=${maxModelLen}`,
    `--port=${vllmPort}`,
    `--kv-transfer-config=${KV_TRANSFER[role]}`,
    ...model.vllmArgs,
  ];
  return {
    role,
    workloadName,
    isDecode: role === "decode",
    vllmPort,
    kvTransferConfig: KV_TRANSFER[role],
    hostsPerReplica: hosts,
    gpusPerHost,
    cpuPerHost: gpu.hostCpuPerGpu * gpusPerHost,
    memoryPerHost: `${gpu.hostMemoryGiPerGpu * gpusPerHost}Gi`,
    ...(hosts > 1
      ? {
          // The leader starts the Ray head the workers join, then serves across all hosts.
          leaderCommand: ["sh", "-c"],
          leaderArgs: [`ray start --head --port=6379 && exec vllm serve ${serveArgs.map(shellQuote).join(" ")}`],
        }
      : { leaderCommand: ["vllm", "serve"], leaderArgs: serveArgs }),
  };
}

function shellQuote(arg: string): string {
  // Arguments come from the catalog and validated names; a quote would mean a catalog bug.
  if (arg.includes("'")) throw new Error(`Unexpected quote in vLLM argument: ${arg}`);
  return `'${arg}'`;
}
