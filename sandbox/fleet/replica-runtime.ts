import type { Server } from "node:http";
import type { GpuTypeId } from "../../lib/catalog/gpus";
import { ModelServer } from "../vllm/model-server";
import { profileFor, smallestProfileFor, type ServingProfile } from "../vllm/profiles";
import { createReplicaServer } from "../vllm/replica-server";

/**
 * The model server behind one simulated pod. The fleet only needs an HTTP server (OpenAI API,
 * /health, /metrics) and a load snapshot; the physics belong to the vLLM simulator.
 */
export interface ReplicaSnapshot {
  running: number;
  waiting: number;
  /** 0..1 */
  kvCacheUsage: number;
  /** Share of time the GPUs are busy, 0..1 (drives DCGM utilization). */
  gpuBusy: number;
}

export interface ReplicaRuntime {
  server: Server;
  snapshot(): ReplicaSnapshot;
}

export interface ReplicaRuntimeSpec {
  servedModelName: string;
  maxModelLen: number;
  gpuType: GpuTypeId | undefined;
  gpusPerReplica: number;
}

export type ReplicaRuntimeFactory = (spec: ReplicaRuntimeSpec) => ReplicaRuntime;

/**
 * The hardware profile of the replica's shape; a shape the catalog does not offer (a manifest
 * edited by hand) runs as the model's smallest shape rather than not at all.
 */
function profileOf(spec: ReplicaRuntimeSpec): ServingProfile | undefined {
  if (spec.gpuType) {
    try {
      return profileFor(spec.servedModelName, spec.gpuType, spec.gpusPerReplica);
    } catch {
      // fall through
    }
  }
  return smallestProfileFor(spec.servedModelName);
}

// A model outside the catalog has no step-cost model: constant pace per token.
const UNPROFILED_TOKEN_DELAY_MS = 20;

/** One vLLM pod: the batching simulator with the profile of the pod's GPU shape. */
export const defaultReplicaRuntime: ReplicaRuntimeFactory = (spec) => {
  const profile = profileOf(spec);
  const model = new ModelServer({
    servedModelName: spec.servedModelName,
    maxModelLen: spec.maxModelLen,
    ...(profile ? { profile } : { tokenDelayMs: UNPROFILED_TOKEN_DELAY_MS }),
  });
  return { server: createReplicaServer(model), snapshot: () => model.snapshot() };
};
