import { MODEL_CATALOG } from "@/lib/catalog/models";
import { litellmFromEnv, type LiteLLMClient } from "@/lib/integrations/litellm/client";
import { prometheusFromEnv, type PrometheusClient } from "@/lib/integrations/prometheus/client";
import { promDuration } from "@/lib/integrations/prometheus/step";
import { scopeQuery } from "@/lib/metrics/promql-scope";
import type { Period } from "./period";
import type { TenantPageHooks } from "./tenant-cost-page";

/** A figure that cannot be had; the message is shown as "not available: <message>". */
export class CostDataUnavailable extends Error {
  override name = "CostDataUnavailable";
}

/**
 * The part of the period that has happened, in whole seconds, evaluated at its end: Prometheus
 * answers a range ending in the future with nothing for the future, but a range of the wrong
 * length would average over samples outside the period.
 */
export function periodRange(period: Pick<Period, "start" | "end">, now: Date): { seconds: number; at: number } {
  const end = Math.min(period.end.getTime(), now.getTime());
  const seconds = Math.floor((end - period.start.getTime()) / 1000);
  if (seconds <= 0) throw new CostDataUnavailable("the period has not started yet");
  return { seconds, at: Math.floor(end / 1000) };
}

/** USD per token → cents per million tokens, rounded once. */
export const perTokenToCentsPerMillion = (usdPerToken: number) => Math.round(usdPerToken * 100 * 1_000_000);

/** vLLM's `model_name` is the served name; cost rows use the catalog id (OpenCost's model label). */
function catalogId(servedName: string): string {
  return MODEL_CATALOG.find((m) => m.servedName === servedName)?.id ?? servedName;
}

/**
 * The real hooks of the tenant cost page. Every query is built from constants and then scoped
 * with `scopeQuery` to the tenant's namespace (its id, DNS-validated there), like every
 * tenant-facing query: the tenant id never becomes PromQL text by concatenation.
 */
export function defaultCostHooks(deps: { prometheus?: Pick<PrometheusClient, "query">; litellm?: Pick<LiteLLMClient, "modelInfo">; now?: () => Date } = {}): TenantPageHooks {
  const prometheus = () => deps.prometheus ?? prometheusFromEnv();
  const litellm = () => deps.litellm ?? litellmFromEnv();
  const now = () => deps.now?.() ?? new Date();
  const vector = async (expr: string, at: number) => {
    const { data } = await prometheus().query(expr, at);
    if (data.resultType !== "vector") throw new CostDataUnavailable(`Prometheus answered a ${data.resultType}, not a vector`);
    return data.result.filter((r) => r.value && Number.isFinite(r.value[1]));
  };
  return {
    async gpuUtilizationPct(tenantId, period) {
      const { seconds, at } = periodRange(period, now());
      const expr = scopeQuery(`avg(avg_over_time(DCGM_FI_DEV_GPU_UTIL[${promDuration(seconds)}]))`, [tenantId]);
      const [row] = await vector(expr, at);
      if (!row?.value) throw new CostDataUnavailable("no DCGM samples for this tenant's GPUs in the period");
      return Math.round(row.value[1] * 100) / 100;
    },
    async outputTokensByModel(tenantId, period) {
      const { seconds, at } = periodRange(period, now());
      const expr = scopeQuery(`sum by (model_name) (increase(vllm:generation_tokens_total[${promDuration(seconds)}]))`, [tenantId]);
      const rows = await vector(expr, at);
      if (rows.length === 0) throw new CostDataUnavailable("no vLLM token counters for this tenant in the period");
      const out = new Map<string, number>();
      for (const r of rows) {
        const model = catalogId(r.metric.model_name ?? "");
        if (!model) continue;
        out.set(model, (out.get(model) ?? 0) + Math.round(r.value![1]));
      }
      return out;
    },
    async listPricePerMillionOutputCents() {
      const out = new Map<string, number>();
      for (const m of await litellm().modelInfo()) {
        const price = m.model_info?.output_cost_per_token;
        if (price != null && !out.has(m.model_name)) out.set(m.model_name, perTokenToCentsPerMillion(price));
      }
      if (out.size === 0) throw new CostDataUnavailable("LiteLLM lists no output prices");
      return out;
    },
  };
}
