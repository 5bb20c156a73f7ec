import type { Server } from "node:http";
import type { SandboxModel } from "../models";
import { ModelServer } from "./model-server";
import { smallestProfileFor } from "./profiles";
import { createModelHttpServer } from "./replica-server";

export interface VllmSimulatorOptions {
  models: readonly SandboxModel[];
  /**
   * Constant time per token for every model, ignoring load (fast, predictable tests). When
   * unset, each model runs on the serving profile of its smallest fitting GPU shape.
   */
  tokenDelayMs?: number;
}

export interface VllmSimulator {
  server: Server;
  /** One ModelServer per served model, keyed by served model name. */
  modelServers: ReadonlyMap<string, ModelServer>;
}

function modelServerFor(model: SandboxModel, tokenDelayMs: number | undefined): ModelServer {
  const base = { servedModelName: model.servedModelName, maxModelLen: model.maxModelLen };
  if (tokenDelayMs !== undefined) return new ModelServer({ ...base, tokenDelayMs });
  const profile = smallestProfileFor(model.servedModelName);
  // A sandbox model outside the catalog has no hardware to simulate: serve it unpaced.
  return profile ? new ModelServer({ ...base, profile }) : new ModelServer({ ...base, tokenDelayMs: 0 });
}

/**
 * OpenAI-compatible model-server simulator. One process serves every sandbox model, each
 * through its own ModelServer, the way a fleet of vLLM pods sits behind the gateway.
 */
export function createVllmSimulator(options: VllmSimulatorOptions): VllmSimulator {
  const modelServers = new Map(options.models.map((m) => [m.servedModelName, modelServerFor(m, options.tokenDelayMs)]));
  return { server: createModelHttpServer(modelServers), modelServers };
}
