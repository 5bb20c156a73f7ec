import { describe, expect, it } from "vitest";
import type { Annotated } from "@/lib/integrations/prometheus/client";
import { PrometheusError } from "@/lib/integrations/prometheus/errors";
import type { QueryData } from "@/lib/integrations/prometheus/schemas";
import { MetricsParamError } from "./errors";
import { createQueryRunner } from "./query-runner";
import { createMetricsService } from "./run-panel";

const NOW = 1_700_000_000;
const HOUR = { start: NOW - 3600, end: NOW };
const TENANT = { kind: "tenant" as const, tenant: "acme", namespaces: ["acme"] };

type Call = { kind: "range" | "instant" | "series"; expr: string; start?: number; end?: number; step?: number };

function fakeClient(answer: (call: Call) => QueryData | Promise<QueryData> = () => ({ resultType: "matrix", result: [] })) {
  const calls: Call[] = [];
  const wrap = async (call: Call): Promise<Annotated<QueryData>> => {
    calls.push(call);
    return { data: await answer(call), warnings: [], infos: [] };
  };
  return {
    calls,
    client: {
      queryRange: (expr: string, start: number, end: number, step: number) => wrap({ kind: "range", expr, start, end, step }),
      query: (expr: string) => wrap({ kind: "instant", expr }),
      series: async (matchers: string[]): Promise<Annotated<Array<Record<string, string>>>> => {
        calls.push({ kind: "series", expr: matchers.join(" ") });
        return {
          data: [
            { __name__: "vllm:num_requests_running", namespace: "acme", deployment: "qwen", model_name: "Qwen/Qwen2.5-0.5B-Instruct", pod: "a" },
            { __name__: "vllm:num_requests_running", namespace: "acme", deployment: "qwen", model_name: "Qwen/Qwen2.5-0.5B-Instruct", pod: "b" },
            { __name__: "vllm:num_requests_running", namespace: "other", deployment: "x", model_name: "m" },
          ],
          warnings: [],
          infos: [],
        };
      },
    },
  };
}

const service = (client: ReturnType<typeof fakeClient>["client"]) => createMetricsService({ client, scrapeIntervalSec: 15, now: () => NOW });

describe("runPanel", () => {
  it("scopes every query of a tenant-scoped caller (the caller cannot skip it)", async () => {
    const { client, calls } = fakeClient();
    const metrics = service(client);
    await metrics.runDashboard({ dashboard: "tenant", scope: TENANT, params: {}, range: HOUR, widthPx: 800 });
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      const selectors = call.expr.match(/[a-zA-Z_:][\w:]*\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) expect(s).toContain('namespace="acme"');
    }
  });

  it("platform scope is not rewritten", async () => {
    const { client, calls } = fakeClient();
    await service(client).runPanel({ dashboard: "fleet", panelId: "running", scope: { kind: "platform" }, params: {}, range: HOUR, widthPx: 800 });
    expect(calls[0]!.expr).toBe("sum by (namespace, model_name) (vllm:num_requests_running)");
  });

  it("refuses another tenant's namespace as if it did not exist", async () => {
    const { client, calls } = fakeClient();
    await expect(service(client).runPanel({ dashboard: "tenant", panelId: "running", scope: TENANT, params: { namespace: "other" }, range: HOUR, widthPx: 800 }))
      .rejects.toMatchObject({ field: "namespace", message: "no such namespace" });
    expect(calls).toHaveLength(0);
  });

  it.each([
    [{ dashboard: "fleet" as const, panelId: "nope" }, "panelId"],
    [{ dashboard: "tenant" as const, panelId: "gpu-util" }, "panelId"],
    [{ dashboard: "model" as const, panelId: "replicas" }, "namespace"],
  ])("field errors: %j", async (input, field) => {
    const { client } = fakeClient();
    await expect(service(client).runPanel({ ...input, scope: { kind: "platform" }, params: {}, range: HOUR, widthPx: 800 })).rejects.toMatchObject({ field });
  });

  it.each([
    [{ start: NOW, end: NOW - 10 }],
    [{ start: NOW - 40 * 86_400, end: NOW }],
    [{ start: NOW, end: NOW + 86_400 }],
    [{ start: Number.NaN, end: NOW }],
  ])("refuses the range %j", async (range) => {
    const { client } = fakeClient();
    await expect(service(client).runPanel({ dashboard: "fleet", panelId: "running", scope: { kind: "platform" }, params: {}, range, widthPx: 800 })).rejects.toBeInstanceOf(MetricsParamError);
  });

  it("fills missing steps with null, maps NaN to null, and downsamples to the width", async () => {
    const { client } = fakeClient(({ start, end, step }) => ({
      resultType: "matrix",
      result: [{
        metric: { namespace: "acme", model_name: "m" },
        values: Array.from({ length: (end! - start!) / step! + 1 }, (_, i) => [start! + i * step!, i === 5 ? Number.NaN : i] as [number, number]).filter((_, i) => i < 100 || i > 150),
      }],
    }));
    const data = await service(client).runPanel({ dashboard: "fleet", panelId: "running", scope: { kind: "platform" }, params: {}, range: { start: NOW - 86_400, end: NOW }, widthPx: 2000 });
    // 1,441 steps of 60 s on the grid, more than the 1,000 points a series may carry out
    expect(data.step).toBe(60);
    const [series] = data.series;
    expect(series!.label).toBe("acme/m");
    expect(series!.points.length).toBeLessThanOrEqual(1000);
    expect(series!.points.length).toBeGreaterThan(900);
    expect(series!.points.filter(([, v]) => v === null).length).toBe(2);
    expect(series!.points[0]![0] % 60).toBe(0);
  });

  it("stat panels answer one number and say when the SLO threshold was snapped", async () => {
    const { client, calls } = fakeClient(() => ({ resultType: "vector", result: [{ metric: {}, value: [NOW, 0.97] }] }));
    const data = await service(client).runPanel({ dashboard: "model", panelId: "slo-ttft", scope: TENANT, params: { namespace: "acme", deployment: "qwen", ttftSloMs: 300 }, range: HOUR, widthPx: 200 });
    expect(data.stat).toBe(0.97);
    expect(data.warnings.join()).toMatch(/250 ms/);
    expect(calls[0]!.expr).toContain('le=~"^(?:0\\\\.25)$"');
  });

  it("derives autoscale markers from changes of the desired replicas", async () => {
    const { client } = fakeClient(({ expr, start, step }) => ({
      resultType: "matrix",
      result: expr.includes("horizontalpodautoscaler")
        ? [{ metric: { namespace: "acme" }, values: [[start!, 1], [start! + step!, 1], [start! + 2 * step!, 3], [start! + 3 * step!, 2]] }]
        : [],
    }));
    const data = await service(client).runPanel({ dashboard: "model", panelId: "replicas", scope: TENANT, params: { namespace: "acme", deployment: "qwen" }, range: HOUR, widthPx: 800 });
    expect(data.markers?.map((m) => m.label)).toEqual(["desired 1 → 3", "desired 3 → 2"]);
  });

  it("caps series per panel with a warning", async () => {
    const { client } = fakeClient(() => ({ resultType: "matrix", result: Array.from({ length: 80 }, (_, i) => ({ metric: { namespace: `n${i}`, model_name: "m" }, values: [] })) }));
    const data = await service(client).runPanel({ dashboard: "fleet", panelId: "running", scope: { kind: "platform" }, params: {}, range: HOUR, widthPx: 800 });
    expect(data.series).toHaveLength(50);
    expect(data.warnings.join()).toMatch(/50 of 80/);
  });
});

describe("runDashboard", () => {
  it("one failing panel does not fail the others, and internals do not leak", async () => {
    const { client } = fakeClient(({ expr }) => {
      if (expr.includes("kv_cache")) throw new PrometheusError("execution", "Prometheus could not evaluate the query: boom");
      if (expr.includes("num_requests_waiting")) throw new Error("secret internals");
      return { resultType: "matrix", result: [] };
    });
    const results = await service(client).runDashboard({ dashboard: "fleet", scope: { kind: "platform" }, params: {}, range: HOUR, widthPx: 800 });
    expect(results).toHaveLength(17);
    expect(results.find((r) => r.panelId === "kv-cache")!.error).toEqual({ kind: "execution", message: "Prometheus could not evaluate the query: boom" });
    expect(results.find((r) => r.panelId === "waiting")!.error).toEqual({ kind: "unexpected", message: "The panel could not be loaded" });
    expect(results.filter((r) => r.data)).toHaveLength(15);
  });

  it("runs at most 6 panels at once", async () => {
    let active = 0;
    let peak = 0;
    const { client } = fakeClient(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return { resultType: "matrix", result: [] };
    });
    const runner = createQueryRunner(client, { maxConcurrent: 100 });
    // single-query panels only, so panel concurrency equals query concurrency
    await createMetricsService({ client, runner, scrapeIntervalSec: 15, now: () => NOW }).runDashboard({
      dashboard: "fleet", scope: { kind: "platform" }, params: {}, range: HOUR, widthPx: 800,
      panels: ["output-tokens", "prompt-tokens", "requests", "running", "waiting", "errors", "gpu-util", "gpu-power", "gpu-temp", "tokens-by-tenant"],
    });
    expect(peak).toBe(6);
  });
});

describe("runExplore and listDeployments", () => {
  it("explore runs raw PromQL with limits", async () => {
    const { client, calls } = fakeClient();
    await service(client).runExplore({ query: 'up{namespace="x"}', range: HOUR, widthPx: 1e9 });
    expect(calls[0]).toMatchObject({ expr: 'up{namespace="x"}', step: 15 });
    await expect(service(client).runExplore({ query: "x".repeat(20_001), range: HOUR, widthPx: 800 })).rejects.toMatchObject({ field: "query" });
  });

  it("lists deployments once each, scoped to the tenant", async () => {
    const { client, calls } = fakeClient();
    const list = await service(client).listDeployments(TENANT);
    expect(calls[0]!.expr).toBe('vllm:num_requests_running{namespace="acme"}');
    expect(list).toEqual([{ namespace: "acme", deployment: "qwen", model: "Qwen/Qwen2.5-0.5B-Instruct" }]);
  });
});

describe("finished panels are kept as long as their upstream answers", () => {
  it("a refresh within the lifetime is served without upstream calls or rebuilding; a later one, or another scope, rebuilds", async () => {
    let clock = NOW;
    const { client, calls } = fakeClient(() => ({ resultType: "matrix", result: [{ metric: { namespace: "acme" }, values: [[NOW - 60, 1]] }] }));
    const metrics = createMetricsService({ client, scrapeIntervalSec: 15, now: () => clock, runner: createQueryRunner(client, { now: () => clock * 1000 }) });
    const input = { dashboard: "fleet" as const, panelId: "running", scope: { kind: "platform" as const }, params: {}, range: HOUR, widthPx: 600 };
    const first = await metrics.runPanel(input);
    const upstream = calls.length;
    expect(upstream).toBeGreaterThan(0);
    expect(await metrics.runPanel(input)).toBe(first); // the very same finished panel
    expect(calls.length).toBe(upstream);

    // Another scope is another query (scoped expressions differ): never the platform's panel.
    const tenant = await metrics.runPanel({ ...input, dashboard: "tenant", scope: TENANT });
    expect(tenant).not.toBe(first);
    expect(calls.length).toBeGreaterThan(upstream);

    clock += 60; // past the 15 s lifetime: asked again, built again
    const again = calls.length;
    expect(await metrics.runPanel(input)).not.toBe(first);
    expect(calls.length).toBeGreaterThan(again);
  });
});
