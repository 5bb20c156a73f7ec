import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { closeServer, listen } from "../http/listen";
import { KNOWN_JOBS, renderPrometheusConfig } from "./config";
import { PROMTOOL_BINARY } from "./process";
import type { ScrapeTarget } from "./scrape-target";
import { startPrometheus, type SandboxPrometheus } from "./start-prometheus";

const run = promisify(execFile);

/** A stand-in exporter serving a fixed exposition, so these tests do not depend on the fleet. */
async function staticExporter(body: () => string): Promise<{ server: Server; address: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(body());
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { server, address: `127.0.0.1:${port}` };
}

const seriesSchema = z.object({ status: z.literal("success"), data: z.array(z.record(z.string(), z.string())) });
const targetsSchema = z.object({
  data: z.object({ activeTargets: z.array(z.object({ scrapeUrl: z.string(), health: z.string(), labels: z.record(z.string(), z.string()) })) }),
});

async function series(prom: SandboxPrometheus, match: string) {
  const res = await fetch(`${prom.url}/api/v1/series?match[]=${encodeURIComponent(match)}`);
  return seriesSchema.parse(await res.json()).data;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

function podTarget(address: string, pod: string, extra: Record<string, string> = {}): ScrapeTarget {
  return {
    job: "vllm",
    address,
    metricsPath: "/metrics",
    labels: {
      __meta_kubernetes_namespace: "acme",
      __meta_kubernetes_pod_name: pod,
      __meta_kubernetes_pod_node_name: "gpu-node-1",
      __meta_kubernetes_pod_container_name: "vllm",
      __meta_kubernetes_pod_label_portal_inference_platform_io_deployment: "qwen-chat",
      __meta_kubernetes_pod_label_portal_inference_platform_io_tenant: "acme",
      ...extra,
    },
  };
}

describe("generated prometheus.yml", () => {
  it("passes promtool check config", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "prom-config-"));
    try {
      const file = path.join(dir, "prometheus.yml");
      writeFileSync(file, renderPrometheusConfig({ jobs: [...KNOWN_JOBS, { name: "custom", honorLabels: false }], sdDir: dir, scrapeIntervalSeconds: 5 }));
      for (const job of [...KNOWN_JOBS.map((j) => j.name), "custom"]) writeFileSync(path.join(dir, `${job}.json`), "[]");
      const { stdout } = await run(PROMTOOL_BINARY, ["check", "config", file]);
      expect(stdout).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is rejected by promtool when broken (the check above can fail)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "prom-config-"));
    try {
      const file = path.join(dir, "prometheus.yml");
      writeFileSync(file, renderPrometheusConfig({ jobs: KNOWN_JOBS, sdDir: dir, scrapeIntervalSeconds: 5 }).replace("scrape_timeout: 5s", "scrape_timeout: 50s"));
      await expect(run(PROMTOOL_BINARY, ["check", "config", file])).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("startPrometheus (the real binary)", () => {
  const exporters: Server[] = [];
  let prom: SandboxPrometheus | undefined;
  afterAll(async () => {
    await prom?.stop();
    await Promise.all(exporters.map(closeServer));
  });

  it("scrapes relabelled pod targets, follows target changes and leaves no process behind", async () => {
    const a = await staticExporter(() => `# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="m",engine="0"} 3\n`);
    const b = await staticExporter(() => `# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="m",engine="0"} 1\n`);
    exporters.push(a.server, b.server);
    let targets: ScrapeTarget[] = [podTarget(a.address, "qwen-chat-a")];
    const listeners = new Set<() => void>();
    const changed = () => listeners.forEach((l) => l());

    const started = Date.now();
    prom = await startPrometheus({
      port: 0,
      scrapeIntervalSeconds: 1,
      targets: () => targets,
      onTargetsChanged: (l) => (listeners.add(l), () => listeners.delete(l)),
    });
    const startMs = Date.now() - started;
    console.log(`prometheus ready in ${startMs} ms`);
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Relabelling: kubernetes_sd meta labels and pod labels become namespace/pod/node/…
    const first = await eventually(async () => (await series(prom!, "vllm:num_requests_waiting"))[0]);
    expect(first).toMatchObject({
      job: "vllm",
      namespace: "acme",
      pod: "qwen-chat-a",
      node: "gpu-node-1",
      container: "vllm",
      deployment: "qwen-chat",
      tenant: "acme",
      model_name: "m",
    });
    expect(Object.keys(first).some((k) => k.startsWith("__meta"))).toBe(false);

    // Targets added are scraped, including one whose job is outside the catalogue (config reload).
    // Prometheus's discovery manager passes changes on at most every 5 s, so each step takes ~5 s.
    targets = [...targets, podTarget(b.address, "qwen-chat-b"), { ...podTarget(b.address, "custom-b"), job: "custom" }];
    changed();
    await eventually(async () => ((await series(prom!, 'vllm:num_requests_waiting{pod="qwen-chat-b"}')).length ? true : undefined));
    await eventually(async () => ((await series(prom!, '{job="custom",pod="custom-b"}')).length ? true : undefined));

    // A target removed leaves the active target list.
    targets = targets.filter((t) => t.labels.__meta_kubernetes_pod_name !== "qwen-chat-a");
    changed();
    await eventually(async () => {
      const res = targetsSchema.parse(await (await fetch(`${prom!.url}/api/v1/targets?state=active`)).json());
      const pods = res.data.activeTargets.map((t) => t.labels.pod).sort();
      return pods.join() === "custom-b,qwen-chat-b" ? true : undefined;
    });

    const { pid, dataDir, logPath } = prom;
    expect(existsSync(logPath)).toBe(true);
    await prom.stop();
    prom = undefined;
    expect(pid).toBeDefined();
    expect(() => process.kill(pid!, 0)).toThrow();
    expect(existsSync(dataDir)).toBe(false);
  });

  it("refuses to start with a clear message when the binary is missing", async () => {
    await expect(startPrometheus({ binary: "/nonexistent/prometheus", targets: () => [] })).rejects.toThrow(/apt-get install prometheus/);
  });
});
