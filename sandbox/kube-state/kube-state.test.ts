import { afterEach, describe, expect, it } from "vitest";
import { ClusterStore } from "../cluster/store";
import { startFleet } from "../fleet/fleet";
import { promtoolCheckMetrics } from "../fleet/promtool";
import { applyModel, DEPLOYMENT, eventually, HPA } from "../fleet/test-fixtures";
import type { Fleet } from "../fleet/types";
import { parseQuantity, renderKubeState } from "./metrics";

const fleets: Fleet[] = [];
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.close()));
});

const line = (text: string, name: string, labels: Record<string, string>) =>
  text.split("\n").find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));

describe("kube-state-metrics stand-in", () => {
  it("reports deployments, pods, GPU requests, nodes and KEDA's HPAs with kube-state-metrics' names and labels", async () => {
    const store = new ClusterStore();
    const fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs: 50 });
    fleets.push(fleet);
    applyModel(store, { tenant: "acme", name: "chat", gpus: 2 }, 1);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "ready");
    fleet.setDesiredReplicas({ namespace: "acme", name: "chat" }, 2);
    store.apply(
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "keda-hpa-chat", namespace: "acme" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "chat" }, minReplicas: 1, maxReplicas: 4 } },
      HPA,
    );
    store.updateStatus({ kind: HPA, namespace: "acme", name: "keda-hpa-chat" }, { currentReplicas: 1, desiredReplicas: 2 });
    await eventually(() => fleet.replicas()[0]?.ready === 2, "two ready");

    const target = fleet.targets().find((t) => t.job === "kube-state-metrics")!;
    const text = await (await fetch(`http://${target.address}${target.metricsPath}`)).text();
    const d = { namespace: "acme", deployment: "chat" };
    expect(line(text, "kube_deployment_spec_replicas", d)).toMatch(/ 2$/);
    expect(line(text, "kube_deployment_status_replicas", d)).toMatch(/ 2$/);
    expect(line(text, "kube_deployment_status_replicas_ready", d)).toMatch(/ 2$/);
    expect(line(text, "kube_deployment_status_replicas_available", d)).toMatch(/ 2$/);
    const pod = fleet.replicas()[0]!.pods[0]!;
    expect(line(text, "kube_pod_info", { namespace: "acme", pod: pod.name, node: pod.node!, created_by_kind: "ReplicaSet" })).toMatch(/ 1$/);
    expect(line(text, "kube_pod_status_ready", { pod: pod.name, condition: "true" })).toMatch(/ 1$/);
    expect(line(text, "kube_pod_status_ready", { pod: pod.name, condition: "false" })).toMatch(/ 0$/);
    expect(line(text, "kube_pod_container_resource_requests", { pod: pod.name, container: "vllm", resource: "nvidia_com_gpu", unit: "integer" })).toMatch(/ 2$/);
    expect(line(text, "kube_pod_container_resource_requests", { pod: pod.name, resource: "memory", unit: "byte" })).toMatch(/ 17179869184$/);
    const h = { namespace: "acme", horizontalpodautoscaler: "keda-hpa-chat" };
    expect(line(text, "kube_horizontalpodautoscaler_info", { ...h, scaletargetref_kind: "Deployment", scaletargetref_name: "chat" })).toMatch(/ 1$/);
    expect(line(text, "kube_horizontalpodautoscaler_spec_min_replicas", h)).toMatch(/ 1$/);
    expect(line(text, "kube_horizontalpodautoscaler_spec_max_replicas", h)).toMatch(/ 4$/);
    expect(line(text, "kube_horizontalpodautoscaler_status_desired_replicas", h)).toMatch(/ 2$/);
    expect(line(text, "kube_horizontalpodautoscaler_status_current_replicas", h)).toMatch(/ 1$/);
    expect(line(text, "kube_node_status_capacity", { node: "gpu-l4-0", resource: "nvidia_com_gpu" })).toMatch(/ 8$/);

    const check = promtoolCheckMetrics(text);
    expect(check.parseError, check.output).toBe(false);
    expect(check.findings).toEqual([]);
  });

  it("skips malformed objects instead of failing the scrape", () => {
    const store = new ClusterStore();
    store.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "odd", namespace: "acme" }, spec: { replicas: "many" } }, DEPLOYMENT);
    store.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "plain", namespace: "acme" }, spec: {} }, DEPLOYMENT);
    const text = renderKubeState({ store });
    expect(text).not.toContain('deployment="odd"');
    expect(line(text, "kube_deployment_spec_replicas", { deployment: "plain" })).toMatch(/ 1$/); // the API server's default
    expect(parseQuantity("200m")).toBeCloseTo(0.2);
    expect(parseQuantity("64Gi")).toBe(64 * 2 ** 30);
    expect(parseQuantity("1e9999")).toBeUndefined();
    expect(parseQuantity("")).toBeUndefined();
  });
});
