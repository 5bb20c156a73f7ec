import { z } from "zod";
import { dnsLabel } from "@/lib/gitops/requests";
import { GPU_TYPE_IDS } from "@/lib/catalog/gpus";
import { DATASETS } from "../datasets/synthetic";
import type { FieldErrors } from "@/lib/http/errors";
import type { BenchmarkLimits } from "./limits";

const levels = z.array(z.number().positive("Must be positive")).min(1, "At least one level").max(16, "At most 16 levels");

/**
 * What the "New run" form (or an API client) may ask for. The endpoint URL is never taken from
 * a tenant admin: a gateway run goes to the portal's own LiteLLM, so the server cannot be
 * pointed at arbitrary hosts; only platform admins may name a direct URL (checked in startRun).
 */
export const startRunInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    target: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("deployment"), namespace: dnsLabel(63), name: dnsLabel(63) }),
      z.object({ kind: z.literal("url"), baseUrl: z.url({ protocol: /^https?$/, error: "An http(s) URL" }), model: z.string().trim().min(1).max(200) }),
    ]),
    endpoint: z.enum(["gateway", "direct"]).default("gateway"),
    /** A direct deployment run needs the serving URL; a gateway run addresses the deployment's model. */
    directUrl: z.url({ protocol: /^https?$/, error: "An http(s) URL" }).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    sweep: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("concurrency"), levels: z.array(z.number().int("Whole requests").positive("At least 1")).min(1, "At least one level").max(16, "At most 16 levels") }),
      z.object({ kind: z.literal("rate"), levels }),
    ]),
    step: z.union([
      z.object({ durationS: z.number().int("Whole seconds").min(1, "At least 1 s").max(3_600) }),
      z.object({ requests: z.number().int("Whole requests").min(1, "At least 1") }),
    ]),
    warmupS: z.number().int("Whole seconds").min(0).max(600).default(0),
    lengths: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("fixed"), promptTokens: z.number().int().min(1).max(32_000), outputTokens: z.number().int().min(1).max(8_000) }),
        z.object({ kind: z.literal("dataset"), name: z.enum(DATASETS) }),
      ])
      .default({ kind: "fixed", promptTokens: 256, outputTokens: 128 }),
    slo: z.object({ ttftMs: z.number().positive().max(600_000).optional(), itlMs: z.number().positive().max(60_000).optional() }).optional(),
    /** The hardware measured, when the deployment was not shipped through the portal. */
    gpuType: z.enum(GPU_TYPE_IDS).optional(),
    gpuCount: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type StartRunInput = z.infer<typeof startRunInputSchema>;

/**
 * Field-level refusals of a configuration beyond the caller's bounds (422 with one message per
 * field, so the form can point at the level or the duration that is too large).
 */
export function limitProblems(input: StartRunInput, limits: BenchmarkLimits): FieldErrors {
  const fields: FieldErrors = {};
  const add = (key: string, message: string) => (fields[key] ??= []).push(message);
  input.sweep.levels.forEach((level, i) => {
    if (input.sweep.kind === "concurrency" && level > limits.maxConcurrency) add(`sweep.levels.${i}`, `Concurrency ${level} exceeds your limit of ${limits.maxConcurrency}`);
    if (input.sweep.kind === "rate" && level > limits.maxRate) add(`sweep.levels.${i}`, `Rate ${level}/s exceeds your limit of ${limits.maxRate}/s`);
  });
  if ("durationS" in input.step) {
    const planned = input.sweep.levels.length * (input.step.durationS + input.warmupS);
    if (planned * 1000 > limits.maxDurationMs) add("step.durationS", `${input.sweep.levels.length} steps × (${input.step.durationS} s + ${input.warmupS} s warm-up) = ${planned} s exceeds your limit of ${limits.maxDurationMs / 1000} s`);
  } else if (input.step.requests > limits.maxRequestsPerStep) {
    add("step.requests", `${input.step.requests} requests per step exceeds your limit of ${limits.maxRequestsPerStep}`);
  }
  return fields;
}
