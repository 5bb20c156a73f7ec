import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "@/lib/integrations/prometheus/client";
import { CostDataUnavailable, defaultCostHooks, periodRange, perTokenToCentsPerMillion } from "./default-hooks";

const FEB = { kind: "this-month" as const, start: new Date("2026-02-01T00:00:00Z"), end: new Date("2026-03-01T00:00:00Z") };
const NOW = new Date("2026-02-10T12:00:00Z");

function fakePrometheus(result: Array<{ metric: Record<string, string>; value: [number, number] }>) {
  const calls: Array<{ expr: string; time?: number }> = [];
  const query: PrometheusClient["query"] = async (expr, time) => {
    calls.push({ expr, time });
    return { data: { resultType: "vector", result }, warnings: [], infos: [] };
  };
  return { prometheus: { query }, calls };
}

describe("defaultCostHooks", () => {
  it("GPU utilization: DCGM averaged over the elapsed part of the period, scoped to the tenant's namespace", async () => {
    const p = fakePrometheus([{ metric: {}, value: [0, 41.23456] }]);
    const pct = await defaultCostHooks({ prometheus: p.prometheus, now: () => NOW }).gpuUtilizationPct!("acme", FEB);
    expect(pct).toBe(41.23);
    // 9.5 days elapsed = 228 h, evaluated at now (not at the period's future end)
    expect(p.calls).toEqual([{ expr: 'avg(avg_over_time(DCGM_FI_DEV_GPU_UTIL{namespace="acme"}[228h]))', time: NOW.getTime() / 1000 }]);
  });

  it("output tokens per model: vLLM's served name mapped back to the catalog id, summed across series", async () => {
    const p = fakePrometheus([
      { metric: { model_name: "meta-llama/Llama-3.1-8B-Instruct" }, value: [0, 1_000_000.4] },
      { metric: { model_name: "custom/model" }, value: [0, 10] },
    ]);
    const tokens = await defaultCostHooks({ prometheus: p.prometheus, now: () => NOW }).outputTokensByModel!("acme", FEB);
    expect(Object.fromEntries(tokens)).toEqual({ "llama-3.1-8b-instruct": 1_000_000, "custom/model": 10 });
    expect(p.calls[0]!.expr).toBe('sum by (model_name) (increase(vllm:generation_tokens_total{namespace="acme"}[228h]))');
  });

  it("refuses a tenant id that is not a namespace name, before anything reaches Prometheus", async () => {
    const p = fakePrometheus([]);
    const hooks = defaultCostHooks({ prometheus: p.prometheus, now: () => NOW });
    await expect(hooks.gpuUtilizationPct!('acme"} or vector(1) #', FEB)).rejects.toThrow(/not a DNS label/);
    await expect(hooks.outputTokensByModel!("ACME", FEB)).rejects.toThrow(/not a DNS label/);
    expect(p.calls).toEqual([]);
  });

  it("says why there is no figure: no samples, a future period", async () => {
    const hooks = defaultCostHooks({ prometheus: fakePrometheus([]).prometheus, now: () => NOW });
    await expect(hooks.gpuUtilizationPct!("acme", FEB)).rejects.toThrow(new CostDataUnavailable("no DCGM samples for this tenant's GPUs in the period"));
    await expect(hooks.outputTokensByModel!("acme", FEB)).rejects.toThrow("no vLLM token counters");
    expect(() => periodRange({ start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-04-01T00:00:00Z") }, NOW)).toThrow("not started");
  });

  it("list prices: USD per token → cents per million, first deployment of a model wins, unpriced skipped", async () => {
    const litellm = {
      modelInfo: async () => [
        { model_name: "a", model_info: { output_cost_per_token: 0.3 / 1_000_000 } },
        { model_name: "a", model_info: { output_cost_per_token: 9 / 1_000_000 } },
        { model_name: "b", model_info: null },
      ],
    };
    expect(Object.fromEntries(await defaultCostHooks({ litellm }).listPricePerMillionOutputCents!())).toEqual({ a: 30 });
    await expect(defaultCostHooks({ litellm: { modelInfo: async () => [] } }).listPricePerMillionOutputCents!()).rejects.toThrow("no output prices");
    expect(perTokenToCentsPerMillion(0.06 / 1_000_000)).toBe(6);
  });
});
