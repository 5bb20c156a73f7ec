import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { findKind } from "../cluster/registry";
import { ClusterStore } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import { closeServer, listen } from "../http/listen";
import type { ScrapeTarget } from "../prometheus/scrape-target";
import { startPrometheus, type SandboxPrometheus } from "../prometheus/start-prometheus";
import { startKeda, type KedaStandIn } from "./keda";
import { queryTrigger, TriggerQueryError } from "./prometheus-query";

// The whole loop with the real Prometheus: an exporter whose waiting-queue value the test sets,
// scraped every second, a ScaledObject polled ten times faster than written (timeScale 0.1).
const soKind = findKind("keda.sh/v1alpha1", "ScaledObject")!;

function scaledObject(name: string, query: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name, namespace: "acme" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicaCount: 0,
      maxReplicaCount: 4,
      pollingInterval: 5,
      cooldownPeriod: 20,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 10, policies: [{ type: "Pods", value: 1, periodSeconds: 5 }] } } } },
      triggers: [
        {
          type: "prometheus",
          metricType: "AverageValue",
          metadata: { serverAddress: "http://prometheus.monitoring.svc:9090", query, threshold: "4", activationThreshold: "0", ignoreNullValues: "true" },
        },
      ],
      ...extra,
    },
  } as KubeObject;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("KEDA stand-in against the real Prometheus", () => {
  let waiting = 0;
  let exporter: Server;
  let prom: SandboxPrometheus;
  let keda: KedaStandIn | undefined;
  const store = new ClusterStore();
  const desired = new Map<string, number>([["acme/qwen-chat", 0]]);
  const calls: Array<{ at: number; replicas: number }> = [];
  const targets: ScrapeTarget[] = [];

  beforeAll(async () => {
    exporter = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(
        `# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="Qwen/Qwen2.5-0.5B-Instruct",engine="0"} ${waiting}\n` +
          `vllm:num_requests_waiting{model_name="other",engine="0"} 1\n`,
      );
    });
    const port = await listen(exporter, 0, "127.0.0.1");
    targets.push({
      job: "vllm",
      address: `127.0.0.1:${port}`,
      metricsPath: "/metrics",
      labels: { __meta_kubernetes_namespace: "acme", __meta_kubernetes_pod_name: "qwen-chat-0", __meta_kubernetes_pod_label_portal_inference_platform_io_deployment: "qwen-chat" },
    });
    prom = await startPrometheus({ port: 0, scrapeIntervalSeconds: 1, targets: () => targets });
  });
  afterAll(async () => {
    await keda?.close();
    await prom?.stop();
    await closeServer(exporter);
  });

  it("queries like the prometheus scaler: one element or an error", async () => {
    await until(async () => ((await queryTrigger(prom.url, 'count(vllm:num_requests_waiting{namespace="acme"})', false).catch(() => 0)) === 2 ? true : undefined));
    await expect(queryTrigger(prom.url, 'vllm:num_requests_waiting{namespace="acme"}', true)).rejects.toThrow(/multiple elements/);
    await expect(queryTrigger(prom.url, "sum(nothing_here)", true)).resolves.toBe(0);
    await expect(queryTrigger(prom.url, "sum(nothing_here)", false)).rejects.toThrow(TriggerQueryError);
    await expect(queryTrigger(prom.url, "sum(", true)).rejects.toThrow(/parse error/);
  });

  it("activates, scales out on the queue, reports status and metrics, and returns to zero after the cooldown", async () => {
    keda = await startKeda({
      store,
      prometheusUrl: prom.url,
      timeScale: 0.1,
      driver: {
        setDesiredReplicas: ({ namespace, name }, n) => {
          desired.set(`${namespace}/${name}`, n);
          calls.push({ at: Date.now(), replicas: n });
        },
        replicas: () => [...desired].map(([key, n]) => ({ namespace: key.split("/")[0]!, name: key.split("/")[1]!, desired: n })),
      },
    });
    targets.push(keda.target());
    await prom.refreshTargets();
    const query = 'sum(vllm:num_requests_waiting{namespace="acme",model_name="Qwen/Qwen2.5-0.5B-Instruct"})';
    store.apply(scaledObject("qwen-chat", query), soKind);
    store.apply(scaledObject("broken", query, { triggers: [{ type: "kafka", metadata: {} }] }), soKind);

    // Idle: nothing waiting, stays at zero, Active=False.
    await until(() => (store.get({ kind: soKind, namespace: "acme", name: "qwen-chat" })?.status ? true : undefined));
    await keda.pollNow();
    expect(desired.get("acme/qwen-chat")).toBe(0);
    const idle = z.object({ conditions: z.array(z.object({ type: z.string(), status: z.string() })) }).parse(store.get({ kind: soKind, namespace: "acme", name: "qwen-chat" })!.status);
    expect(idle.conditions.find((c) => c.type === "Active")?.status).toBe("False");
    const broken = z.object({ conditions: z.array(z.object({ type: z.string(), status: z.string(), message: z.string() })) }).parse(store.get({ kind: soKind, namespace: "acme", name: "broken" })!.status);
    expect(broken.conditions[0]).toMatchObject({ type: "Ready", status: "False" });
    expect(broken.conditions[0]!.message).toMatch(/kafka/);

    // 13 waiting with a target of 4 per replica: 0 → 1 (activation), then 4.
    const t0 = Date.now();
    waiting = 13;
    await until(() => (desired.get("acme/qwen-chat") === 4 ? true : undefined));
    const reactionMs = Date.now() - t0;
    console.log(`keda scale-up 0 → 4: ${reactionMs} ms (scrape 1 s, polling 0.5 s); steps ${calls.map((c) => `${c.replicas}@+${c.at - t0}ms`).join(" ")}`);
    expect(calls.map((c) => c.replicas)).toEqual([1, 4]);

    const so = z
      .object({ hpaName: z.string(), scaleTargetKind: z.string(), lastActiveTime: z.string(), conditions: z.array(z.object({ type: z.string(), status: z.string() })) })
      .parse(store.get({ kind: soKind, namespace: "acme", name: "qwen-chat" })!.status);
    expect(so).toMatchObject({ hpaName: "keda-hpa-qwen-chat", scaleTargetKind: "apps/v1.Deployment" });
    expect(so.conditions.find((c) => c.type === "Active")?.status).toBe("True");
    const hpa = store.get({ kind: { group: "autoscaling", kind: "HorizontalPodAutoscaler" }, namespace: "acme", name: "keda-hpa-qwen-chat" });
    expect(hpa?.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4, scaleTargetRef: { name: "qwen-chat" } });
    await until(() => ((hpa && (store.get({ kind: { group: "autoscaling", kind: "HorizontalPodAutoscaler" }, namespace: "acme", name: "keda-hpa-qwen-chat" })?.status as { desiredReplicas?: number })?.desiredReplicas) === 4 ? true : undefined));

    // KEDA's own metrics reach Prometheus, with KEDA's label names.
    const metric = await until(async () => {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('keda_scaler_metrics_value{scaledObject="qwen-chat"}')}`);
      const body = z.object({ data: z.object({ result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }) }).parse(await res.json());
      const first = body.data.result[0];
      return first && first.value[1] === "13" ? first : undefined;
    });
    expect(metric.metric).toMatchObject({ namespace: "acme", metric: "s0-prometheus", scaler: "prometheusScaler", triggerIndex: "0", job: "keda-operator" });

    // Queue drained: back to zero once the (scaled) 20 s cooldown passed, not before.
    const drained = Date.now();
    waiting = 0;
    await until(() => (desired.get("acme/qwen-chat") === 0 ? true : undefined));
    // The cooldown runs from the last poll that saw the queue, which may precede the drain by up
    // to one polling interval (0.5 s) when the next scrape lands right after it.
    expect(Date.now() - drained).toBeGreaterThanOrEqual(1_400);

    // Deleting the ScaledObject deletes its HPA.
    store.delete({ kind: soKind, namespace: "acme", name: "qwen-chat" });
    expect(store.get({ kind: { group: "autoscaling", kind: "HorizontalPodAutoscaler" }, namespace: "acme", name: "keda-hpa-qwen-chat" })).toBeUndefined();
  });
});
