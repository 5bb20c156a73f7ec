import { z } from "zod";
import { MetricsParamError } from "./errors";
import type { PanelParams } from "./types";

/**
 * Dashboard parameters arrive from URLs and forms. They end up inside PromQL string literals, so
 * they are held to strict allow-patterns first (what Kubernetes and vLLM actually allow) and
 * escaped second; neither alone is trusted.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Served model names: `Qwen/Qwen2.5-0.5B-Instruct`, `meta-llama/Llama-3.1-8B-Instruct`, `acme/sql-lora:v2`. */
const MODEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._\/:-]{0,198}[A-Za-z0-9])?$/;

const schema = z.object({
  namespace: z.string().regex(DNS_LABEL, "must be a Kubernetes namespace name (DNS label)").optional(),
  deployment: z.string().regex(DNS_LABEL, "must be a deployment name (DNS label)").optional(),
  model: z.string().regex(MODEL_NAME, "must be a served model name (letters, digits, . _ / : -)").optional(),
  ttftSloMs: z.number().int().min(1).max(600_000).optional(),
  itlSloMs: z.number().int().min(1).max(60_000).optional(),
});

export type ValidParams = z.infer<typeof schema>;

export function validateParams(params: PanelParams): ValidParams {
  const result = schema.safeParse(params);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new MetricsParamError(String(issue.path[0] ?? "params"), issue.message);
  }
  return result.data;
}

/** Demands a parameter a panel cannot run without. */
export function requireParam<K extends "namespace" | "deployment" | "model">(params: ValidParams, key: K): string {
  const value = params[key];
  if (!value) throw new MetricsParamError(key, `${key} is required for this panel`);
  return value;
}
