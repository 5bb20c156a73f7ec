import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { KubeObject } from "../cluster/validate";
import { DEPLOYMENT, HPA, modelDeployment, SCALED_OBJECT } from "../fleet/test-fixtures";
import { startSandbox, type Sandbox } from "../start";

// startSandbox with Prometheus on: the fleet's real exporters are scraped with kubernetes-style
// labels and KEDA reads them; closing leaves no Prometheus process behind.
const vectorSchema = z.object({ data: z.object({ result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }) });

async function query(url: string, promql: string) {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  return vectorSchema.parse(await res.json()).data.result;
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("startSandbox with Prometheus and KEDA", () => {
  let sandbox: Sandbox | undefined;
  afterAll(() => sandbox?.close());

  it("scrapes the fleet with pod labels, scales through KEDA and stops cleanly", async () => {
    sandbox = await startSandbox({
      dexPort: 0,
      litellmPort: 0,
      vllmPort: 0,
      githubPort: 0,
      kubePort: 0,
      prometheus: true,
      prometheusPort: 0,
      scrapeIntervalSeconds: 1,
      kedaTimeScale: 0.2,
      modelLoadMs: 200,
    });
    const prom = sandbox.urls.prometheus!;
    expect(prom).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { store } = sandbox.cluster;
    store.apply(modelDeployment({ tenant: "acme", name: "qwen-chat" }), DEPLOYMENT);
    store.apply(
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "qwen-chat", namespace: "acme" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "qwen-chat" },
          minReplicaCount: 2,
          maxReplicaCount: 3,
          pollingInterval: 5,
          triggers: [
            {
              type: "prometheus",
              metadata: {
                serverAddress: "http://prometheus-operated.monitoring.svc:9090",
                query: 'sum(vllm:num_requests_waiting{namespace="acme",model_name="Qwen/Qwen2.5-0.5B-Instruct"})',
                threshold: "4",
              },
            },
          ],
        },
      } as KubeObject,
      SCALED_OBJECT,
    );

    // KEDA brings the Deployment to minReplicaCount; both replicas get scraped as pods.
    const series = await until(async () => {
      const r = await query(prom, 'vllm:num_requests_waiting{namespace="acme"}');
      return r.length === 2 ? r : undefined;
    });
    for (const s of series) {
      expect(s.metric).toMatchObject({ job: "vllm", namespace: "acme", deployment: "qwen-chat", tenant: "acme", model_name: "Qwen/Qwen2.5-0.5B-Instruct" });
      expect(s.metric.pod).toMatch(/^qwen-chat-/);
      expect(s.metric.node).toBeTruthy();
    }
    // GPU and object-state exporters keep the labels of what they describe (honor_labels).
    const gpu = await until(async () => (await query(prom, 'DCGM_FI_DEV_GPU_UTIL{namespace="acme"}')).at(0));
    expect(gpu.metric.pod).toMatch(/^qwen-chat-/);
    await until(async () => (await query(prom, 'kube_deployment_spec_replicas{namespace="acme",deployment="qwen-chat"}')).find((s) => s.value[1] === "2"));
    await until(async () => (await query(prom, 'keda_scaler_active{namespace="acme",scaledObject="qwen-chat"}')).at(0));

    const hpa = store.get({ kind: HPA, namespace: "acme", name: "keda-hpa-qwen-chat" });
    expect(hpa?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
    const so = z.object({ conditions: z.array(z.object({ type: z.string(), status: z.string() })) }).parse(store.get({ kind: SCALED_OBJECT, namespace: "acme", name: "qwen-chat" })?.status);
    expect(so.conditions.find((c) => c.type === "Ready")?.status).toBe("True");

    const pidText = await import("node:fs/promises").then((fs) => fs.readFile(`${sandbox!.prometheusDataDir}/prometheus.pid`, "utf8"));
    await sandbox.close();
    sandbox = undefined;
    expect(() => process.kill(Number(pidText), 0)).toThrow();
  });
});
