import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { env } from "@/lib/config/env";
import { tenantMetricsScope } from "@/lib/dashboards/scope";
import { AppError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { createRun } from "../store";
import type { QueuedRunConfig } from "../execute-run";
import { runnerConfigSchema } from "../config";
import { DEFAULT_ITL_SLO_MS, DEFAULT_TTFT_SLO_MS } from "@/lib/metrics/catalog";
import { resolveDeploymentTarget, type DeploymentTarget } from "./deployment-target";
import { limitProblems, type StartRunInput } from "./start-run-input";
import { limitsFor } from "./limits";

/**
 * Queues a benchmark for the worker (never runs it in the request). Order matters: the tenant
 * is authorized before the deployment is looked up, so a tenant admin probing another tenant's
 * deployment gets the same 404 as for a name that does not exist, and learns nothing from limits.
 */
export async function startRun(db: Db, principal: Principal, input: StartRunInput): Promise<{ id: string }> {
  let target: DeploymentTarget | null = null;
  let tenantId: string | null = null;
  if (input.target.kind === "deployment") {
    tenantId = input.target.namespace;
    await assertAllowed(db, principal, "benchmark.run", { tenantId }, { type: "tenant", id: tenantId });
    target = await resolveDeploymentTarget(db, await tenantMetricsScope(db, principal, tenantId), input.target.name);
  } else {
    // An arbitrary URL makes the server connect wherever it is told: platform admins only.
    await assertAllowed(db, principal, "benchmark.run");
  }
  const direct = input.target.kind === "url" || input.endpoint === "direct";
  if (direct && !principal.platformRoles.has("platform-admin")) {
    throw new AppError("forbidden", "Only platform admins may benchmark an endpoint directly", { endpoint: ["Use the gateway"] });
  }
  if (input.target.kind === "deployment" && input.endpoint === "direct" && !input.directUrl) {
    throw new AppError("validation", "Some fields are invalid", { directUrl: ["The serving endpoint's URL is required for a direct run"] });
  }
  const limits = limitsFor(principal);
  const problems = limitProblems(input, limits);
  if (Object.keys(problems).length > 0) {
    await recordAudit(db, principal, { action: "benchmark.create", outcome: "denied", tenantId: tenantId ?? undefined, detail: { reason: "limits", fields: Object.keys(problems) } });
    throw new AppError("validation", "The run exceeds your limits", problems);
  }
  const model = input.model ?? (input.target.kind === "url" ? input.target.model : direct ? target!.servedModel : target!.gatewayModel);
  const baseUrl = input.target.kind === "url" ? input.target.baseUrl : input.endpoint === "direct" ? input.directUrl! : env().LITELLM_URL;
  const runner = runnerConfigSchema.parse({
    baseUrl, model, api: "chat",
    sweep: input.sweep,
    step: "durationS" in input.step ? { durationMs: input.step.durationS * 1000 } : { requests: input.step.requests },
    warmup: { durationMs: input.warmupS * 1000 },
    lengths: input.lengths,
    // Without an SLO there is no goodput; the dashboards' defaults keep every run comparable.
    slo: input.slo ?? { ttftMs: DEFAULT_TTFT_SLO_MS, itlMs: DEFAULT_ITL_SLO_MS },
  });
  const config: QueuedRunConfig = { runner, limits: { maxDurationMs: limits.maxDurationMs, maxConcurrency: limits.maxConcurrency } };
  const loads = input.sweep.levels.join(",");
  return createRun(db, principal, {
    name: input.name ?? `${target ? `${target.namespace}/${target.name}` : model} · ${input.sweep.kind} ${loads}`,
    source: "portal",
    tenantId,
    deployment: target ? { namespace: target.namespace, name: target.name } : null,
    changeRequestId: target?.changeRequestId ?? null,
    endpointKind: direct ? "direct" : "gateway",
    model,
    servingLayer: target?.servingLayer ?? null,
    gpuType: input.gpuType ?? target?.gpuType ?? null,
    gpuCount: input.gpuCount ?? target?.gpuCount ?? null,
    config: config as unknown as Record<string, unknown>,
  });
}
