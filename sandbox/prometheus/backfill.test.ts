import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHistoryBlocks, dayCurve } from "./backfill";
import { startPrometheus, type SandboxPrometheus } from "./start-prometheus";

const rangeSchema = z.object({ data: z.object({ result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })) }) });

describe("history backfill through promtool", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "prom-backfill-"));
  let prom: SandboxPrometheus | undefined;
  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the day curve within bounds", () => {
    for (let t = 0; t < 48 * 3_600_000; t += 600_000) {
      expect(dayCurve(t)).toBeGreaterThanOrEqual(0.15);
      expect(dayCurve(t)).toBeLessThanOrEqual(1);
    }
    expect(dayCurve(15 * 3_600_000)).toBeGreaterThan(dayCurve(3 * 3_600_000));
  });

  it("writes blocks Prometheus serves: gauges follow the curve, counters grow to the live value, labels kept", async () => {
    const endMs = Date.now() - 60_000;
    const labels = { job: "vllm", namespace: "acme", pod: "qwen-chat-abc", deployment: "qwen-chat", model_name: 'Qwen/"quoted"\\name' };
    const result = await createHistoryBlocks(
      [
        { metric: { __name__: "vllm:num_requests_running", ...labels }, value: 8 },
        { metric: { __name__: "vllm:kv_cache_usage_perc", ...labels }, value: 0.9 },
        { metric: { __name__: "vllm:generation_tokens_total", ...labels }, value: 1_000_000 },
        { metric: { __name__: "vllm:prompt_tokens_total", ...labels }, value: 50, rate: 100 },
        { metric: { __name__: "kube_deployment_spec_replicas", job: "kube-state-metrics", namespace: "acme", deployment: "qwen-chat" }, value: 2 },
      ],
      { dataDir: dir, hours: 6, endMs, stepSeconds: 300 },
    );
    expect(result).toMatchObject({ series: 5, samples: 5 * 72 });
    expect(await createHistoryBlocks([], { dataDir: dir, hours: 6, endMs })).toBe("already");

    prom = await startPrometheus({ port: 0, dataDir: dir, targets: () => [] });
    const range = async (q: string) => {
      const res = await fetch(`${prom!.url}/api/v1/query_range?${new URLSearchParams({ query: q, start: String((endMs - 6 * 3_600_000) / 1000), end: String(endMs / 1000), step: "300" })}`);
      return rangeSchema.parse(await res.json()).data.result;
    };
    const running = await range("vllm:num_requests_running");
    expect(running).toHaveLength(1);
    expect(running[0]!.metric).toMatchObject({ namespace: "acme", pod: "qwen-chat-abc", model_name: 'Qwen/"quoted"\\name' });
    const values = running[0]!.values.map(([, v]) => Number(v));
    expect(values.length).toBeGreaterThan(60);
    expect(new Set(values.map((v) => v.toFixed(2))).size).toBeGreaterThan(10);

    const kv = (await range("vllm:kv_cache_usage_perc"))[0]!.values.map(([, v]) => Number(v));
    expect(Math.max(...kv)).toBeLessThanOrEqual(1);
    const tokens = (await range("vllm:generation_tokens_total"))[0]!.values.map(([, v]) => Number(v));
    expect(tokens.every((v, i) => i === 0 || v >= tokens[i - 1]!)).toBe(true);
    expect(tokens.at(-1)).toBeGreaterThan(990_000);
    const rate = await range("sum(rate(vllm:generation_tokens_total[15m]))");
    expect(Number(rate[0]!.values.at(-1)![1])).toBeGreaterThan(0);
    // A measured rate survives into history: 100/s at the end of the curve.
    const promptRate = await range("rate(vllm:prompt_tokens_total[15m])");
    const lastRate = Number(promptRate[0]!.values.at(-1)![1]);
    expect(lastRate).toBeGreaterThan(60);
    expect(lastRate).toBeLessThan(140);
    const replicas = (await range("kube_deployment_spec_replicas"))[0]!.values.map(([, v]) => v);
    expect(new Set(replicas)).toEqual(new Set(["2"]));
  });
});
