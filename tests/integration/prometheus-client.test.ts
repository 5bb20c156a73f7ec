import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusClient, type PrometheusClient } from "@/lib/integrations/prometheus/client";
import { PrometheusError } from "@/lib/integrations/prometheus/errors";
import { promqlString } from "@/lib/metrics/promql-string";
import { createMetricsService, type MetricsService } from "@/lib/metrics/run-panel";

/**
 * The client and the catalog against the real Prometheus 2.42 (/usr/bin/prometheus) scraping a
 * tiny exporter with known values every second: two "pods" in two namespaces, labelled by the
 * scrape config the way the sandbox's relabelling labels them.
 */
const MODEL = "Qwen/Qwen2.5-0.5B-Instruct";
const started = Date.now();

function exposition(running: number, kv: number): string {
  const seconds = (Date.now() - started) / 1000;
  const requests = Math.floor(seconds * 10);
  const labels = `model_name="${MODEL}",engine="0"`;
  // 10 requests/s: 8 with TTFT ≤ 0.25 s, 9 ≤ 0.5 s, all ≤ 1 s (written like Python's client: 1.0).
  const buckets: Array<[string, number]> = [["0.1", 0], ["0.25", 0.8], ["0.5", 0.9], ["1.0", 1], ["+Inf", 1]];
  return [
    "# TYPE vllm:num_requests_running gauge",
    `vllm:num_requests_running{${labels}} ${running}`,
    "# TYPE vllm:kv_cache_usage_perc gauge",
    `vllm:kv_cache_usage_perc{${labels}} ${kv}`,
    "# TYPE vllm:generation_tokens_total counter",
    `vllm:generation_tokens_total{${labels}} ${Math.floor(seconds * 100)}`,
    "# TYPE vllm:time_to_first_token_seconds histogram",
    ...buckets.map(([le, share]) => `vllm:time_to_first_token_seconds_bucket{${labels},le="${le}"} ${Math.floor(requests * share)}`),
    `vllm:time_to_first_token_seconds_sum{${labels}} ${requests * 0.2}`,
    `vllm:time_to_first_token_seconds_count{${labels}} ${requests}`,
    "",
  ].join("\n");
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let exporter: Server;
let prometheus: ChildProcess;
let dataDir: string;
let client: PrometheusClient;
let metrics: MetricsService;
let promUrl: string;

beforeAll(async () => {
  exporter = createServer((req, res) => {
    const acme = req.url === "/acme/metrics";
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(exposition(acme ? 3 : 5, acme ? 0.25 : 0.5));
  });
  await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
  const exporterPort = (exporter.address() as AddressInfo).port;
  const port = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), "prom-it-"));
  const target = (ns: string, pod: string) => [
    `  - job_name: vllm-${ns}`,
    `    metrics_path: /${ns}/metrics`,
    "    static_configs:",
    `      - targets: ["127.0.0.1:${exporterPort}"]`,
    `        labels: { namespace: "${ns}", deployment: "qwen", pod: "${pod}", tenant: "${ns}" }`,
  ].join("\n");
  writeFileSync(path.join(dataDir, "prometheus.yml"), ["global:", "  scrape_interval: 1s", "  evaluation_interval: 1s", "scrape_configs:", target("acme", "qwen-1"), target("other", "qwen-2"), ""].join("\n"));
  prometheus = spawn("/usr/bin/prometheus", [
    `--config.file=${path.join(dataDir, "prometheus.yml")}`,
    `--storage.tsdb.path=${path.join(dataDir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: "ignore" });
  promUrl = `http://127.0.0.1:${port}`;
  client = createPrometheusClient({ url: promUrl, timeoutMs: 5000 });
  metrics = createMetricsService({ client, scrapeIntervalSec: 1 });
  // Ready, then enough scrapes for rates over a 4 s window.
  const deadline = Date.now() + 40_000;
  for (;;) {
    try {
      const answer = await client.query('count(count_over_time(vllm:generation_tokens_total{namespace="acme"}[30s]) >= 6)');
      if (answer.data.resultType === "vector" && answer.data.result.length) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("Prometheus did not collect samples in time");
    await new Promise((r) => setTimeout(r, 500));
  }
}, 60_000);

afterAll(() => {
  prometheus?.kill("SIGTERM");
  exporter?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const lastValue = (points: Array<[number, number | null]>) => [...points].reverse().find(([, v]) => v !== null)?.[1];
const recent = () => {
  const end = Math.floor(Date.now() / 1000);
  return { start: end - 20, end };
};

describe("catalog queries against the real Prometheus", () => {
  it("running requests per namespace, and a tenant sees only its own", async () => {
    const fleet = await metrics.runPanel({ dashboard: "fleet", panelId: "running", scope: { kind: "platform" }, params: {}, range: recent(), widthPx: 20 });
    const byNs = Object.fromEntries(fleet.series.map((s) => [s.labels.namespace, lastValue(s.points)]));
    expect(byNs).toEqual({ acme: 3, other: 5 });
    expect(fleet.step).toBe(1);

    const tenant = await metrics.runPanel({ dashboard: "tenant", panelId: "running", scope: { kind: "tenant", tenant: "acme", namespaces: ["acme"] }, params: {}, range: recent(), widthPx: 20 });
    expect(tenant.series.map((s) => s.labels.namespace)).toEqual(["acme"]);
    expect(tenant.series[0]!.label).toBe(`acme/${MODEL}`);
  });

  it("output tokens/s from the counter's rate", async () => {
    const data = await metrics.runPanel({ dashboard: "model", panelId: "output-tokens", scope: { kind: "platform" }, params: { namespace: "acme", deployment: "qwen", model: MODEL }, range: recent(), widthPx: 20 });
    expect(data.series).toHaveLength(1);
    expect(lastValue(data.series[0]!.points)).toBeGreaterThan(80);
    expect(lastValue(data.series[0]!.points)).toBeLessThan(120);
  });

  it("KV-cache usage in percent", async () => {
    const data = await metrics.runPanel({ dashboard: "fleet", panelId: "kv-cache", scope: { kind: "platform" }, params: { namespace: "other" }, range: recent(), widthPx: 20 });
    expect(data.series.map((s) => [s.label, lastValue(s.points)])).toEqual([[`max other/${MODEL}`, 50], [`avg other/${MODEL}`, 50]]);
  });

  it("TTFT SLO attainment from the buckets, snapped threshold, both le spellings", async () => {
    const scope = { kind: "tenant" as const, tenant: "acme", namespaces: ["acme"] };
    const at250 = await metrics.runPanel({ dashboard: "model", panelId: "slo-ttft", scope, params: { namespace: "acme", deployment: "qwen", ttftSloMs: 240 }, range: recent(), widthPx: 20 });
    expect(at250.stat).toBeCloseTo(0.8, 1);
    expect(at250.warnings.join()).toMatch(/250 ms/);
    const at1s = await metrics.runPanel({ dashboard: "model", panelId: "slo-ttft", scope, params: { namespace: "acme", deployment: "qwen", ttftSloMs: 1000 }, range: recent(), widthPx: 20 });
    expect(at1s.stat).toBeCloseTo(1, 2);
  });

  it("TTFT quantiles", async () => {
    const data = await metrics.runPanel({ dashboard: "model", panelId: "ttft", scope: { kind: "platform" }, params: { namespace: "acme" }, range: recent(), widthPx: 20 });
    const p50 = lastValue(data.series.find((s) => s.label === "p50")!.points)!;
    expect(p50).toBeGreaterThan(0.1);
    expect(p50).toBeLessThanOrEqual(0.25);
  });

  it("lists the tenant's deployments only", async () => {
    expect(await metrics.listDeployments({ kind: "tenant", tenant: "acme", namespaces: ["acme"] })).toEqual([{ namespace: "acme", deployment: "qwen", model: MODEL }]);
    expect((await metrics.listDeployments({ kind: "platform" })).map((d) => d.namespace)).toEqual(["acme", "other"]);
  });
});

describe("client against the real Prometheus", () => {
  it.each(['plain', 'quo"te', "back\\slash", "new\nline", "ünïcødé 🚀", '"} or vector(1) #'])("string literal %j reaches Prometheus intact", async (value) => {
    const answer = await client.query(`label_replace(vector(1), "v", ${promqlString(value)}, "", "")`);
    expect(answer.data.resultType === "vector" && answer.data.result[0]!.metric.v).toBe(value);
  });

  it("a scoped query's namespace matcher is honoured by Prometheus", async () => {
    const answer = await client.query('count by (namespace) (vllm:num_requests_running{namespace=~"^(?:acme|nope)$"})');
    expect(answer.data.resultType === "vector" && answer.data.result.map((r) => r.metric.namespace)).toEqual(["acme"]);
  });

  it("maps a parse error to bad_data", async () => {
    const error = await client.query("sum(").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).kind).toBe("bad_data");
  });

  it("maps the 11,000-point limit to too_many_points", async () => {
    const error = await client.queryRange("up", 0, 100_000, 1).catch((e: unknown) => e);
    expect((error as PrometheusError).kind).toBe("too_many_points");
    expect((error as PrometheusError).message).toMatch(/11,000 points per series/);
  });

  it("maps a many-to-many join to execution", async () => {
    const error = await client.query('vllm:num_requests_running * on () vllm:kv_cache_usage_perc').catch((e: unknown) => e);
    expect((error as PrometheusError).kind).toBe("execution");
  });

  it("returns the labels and label values APIs", async () => {
    expect((await client.labels()).data).toEqual(expect.arrayContaining(["namespace", "model_name"]));
    expect((await client.labelValues("namespace", ["vllm:num_requests_running"])).data).toEqual(["acme", "other"]);
    expect((await client.alerts()).data.alerts).toEqual([]);
    await expect(client.ready()).resolves.toBeUndefined();
  });

  it("says Prometheus is unreachable on a closed port", async () => {
    const closed = createPrometheusClient({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 });
    const error = await closed.query("up").catch((e: unknown) => e);
    expect((error as PrometheusError).kind).toBe("unavailable");
    expect((error as PrometheusError).message).toMatch(/is unreachable/);
  });
});
