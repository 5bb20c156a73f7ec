import { afterEach, describe, expect, it } from "vitest";
import { ClusterStore } from "../cluster/store";
import { startFleet } from "./fleet";
import { POD_KIND } from "./kinds";
import { applyModel, DEPLOYMENT, eventually, LWS, modelDeployment } from "./test-fixtures";
import type { Fleet } from "./types";

const fleets: Fleet[] = [];
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.close()));
});

async function fleetOn(store: ClusterStore, opts: { modelLoadMs?: number; nodes?: Parameters<typeof startFleet>[0]["nodes"] } = {}) {
  const fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs: opts.modelLoadMs ?? 150, drainGraceMs: 2_000, nodes: opts.nodes });
  fleets.push(fleet);
  return fleet;
}

const pods = (store: ClusterStore, namespace: string) => store.list({ group: "", kind: "Pod", namespace });
const deploymentStatus = (store: ClusterStore, namespace: string, name: string) =>
  store.get({ kind: DEPLOYMENT, namespace, name })?.status as Record<string, unknown> | undefined;

describe("simulated GPU fleet", () => {
  it("registers GPU nodes with product labels and nvidia.com/gpu capacity", async () => {
    const store = new ClusterStore();
    await fleetOn(store);
    const nodes = store.list({ kind: "Node" });
    expect(nodes.map((n) => n.metadata.name)).toEqual(["gpu-a100-0", "gpu-h100-0", "gpu-l4-0", "gpu-l4-1"]);
    const l4 = nodes.find((n) => n.metadata.name === "gpu-l4-0")!;
    expect(l4.metadata.labels).toMatchObject({ "nvidia.com/gpu.product": "NVIDIA-L4" });
    expect(l4.status).toMatchObject({ capacity: { "nvidia.com/gpu": "8" }, allocatable: { "nvidia.com/gpu": "8" } });
  });

  it("runs the ScaledObject's minReplicaCount as pods that turn Ready after the model load, and reports Deployment status", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store, { modelLoadMs: 300 });
    applyModel(store, { tenant: "acme", name: "chat" }, 2);

    const created = await eventually(() => pods(store, "acme").length === 2 && pods(store, "acme"), "two pods");
    for (const pod of created) {
      expect(pod.metadata.name).toMatch(/^chat-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.labels).toMatchObject({ "portal.inference-platform.io/deployment": "chat", "pod-template-hash": expect.any(String) });
      expect(String((pod.spec as { nodeName?: string }).nodeName)).toMatch(/^gpu-l4-/);
    }
    // Loading: Running but not Ready yet.
    expect(deploymentStatus(store, "acme", "chat")).toMatchObject({ replicas: 2, readyReplicas: 0 });
    expect((pods(store, "acme")[0]!.status as { phase: string }).phase).toBe("Running");

    await eventually(() => deploymentStatus(store, "acme", "chat")?.readyReplicas === 2, "two ready replicas");
    expect(deploymentStatus(store, "acme", "chat")).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const ready = pods(store, "acme").map((p) => (p.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === "Ready")?.status);
    expect(ready).toEqual(["True", "True"]);
    const view = fleet.replicas()[0]!;
    expect(view).toMatchObject({ namespace: "acme", name: "chat", model: "Qwen/Qwen2.5-0.5B-Instruct", pool: "chat", gpuType: "L4", desired: 2, ready: 2 });
    expect(view.pods.every((p) => p.gpus.length === 1 && p.url?.startsWith("http://127.0.0.1:"))).toBe(true);
    // The replica server answers: a real model-server stand-in per pod.
    expect((await fetch(`${view.pods[0]!.url}/health`)).status).toBe(200);
  });

  it("scales up and down on setDesiredReplicas, draining removed replicas and freeing their GPUs", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store);
    applyModel(store, { tenant: "acme", name: "chat", gpus: 4 }, 1);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "first replica");

    fleet.setDesiredReplicas({ namespace: "acme", name: "chat" }, 3);
    await eventually(() => fleet.replicas()[0]?.ready === 3, "three replicas");
    const gpusHeld = () => fleet.replicas()[0]!.pods.reduce((n, p) => n + p.gpus.length, 0);
    expect(gpusHeld()).toBe(12);
    const urls = fleet.replicas()[0]!.pods.map((p) => p.url!);

    fleet.setDesiredReplicas({ namespace: "acme", name: "chat" }, 1);
    await eventually(() => pods(store, "acme").length === 1, "two pods removed");
    expect(gpusHeld()).toBe(4);
    expect(deploymentStatus(store, "acme", "chat")).toMatchObject({ replicas: 1, readyReplicas: 1 });
    // Drained servers are closed.
    const alive = await Promise.all(urls.map((u) => fetch(`${u}/health`).then(() => true, () => false)));
    expect(alive.filter(Boolean)).toHaveLength(1);
    expect(() => fleet.setDesiredReplicas({ namespace: "acme", name: "chat" }, -1)).toThrow(RangeError);
  });

  it("keeps pods that do not fit Pending with the scheduler's reason, and schedules them when GPUs free up", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store, { nodes: [{ name: "gpu-l4-0", gpuType: "L4" }, { name: "gpu-h100-0", gpuType: "H100-80GB" }] });
    applyModel(store, { tenant: "acme", name: "big", gpus: 8 }, 1);
    applyModel(store, { tenant: "beta", name: "other", gpus: 8 }, 1);
    await eventually(() => fleet.replicas().every((w) => w.pods.length === 1) && fleet.replicas().length === 2, "pods created");
    const pending = await eventually(() => pods(store, "beta").find((p) => (p.status as { phase?: string })?.phase === "Pending") ?? pods(store, "acme").find((p) => (p.status as { phase?: string })?.phase === "Pending"), "a pending pod");
    const scheduled = (pending.status as { conditions: Array<{ type: string; status: string; reason: string; message: string }> }).conditions[0]!;
    expect(scheduled).toMatchObject({ type: "PodScheduled", status: "False", reason: "Unschedulable" });
    expect(scheduled.message).toContain("0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) didn't match Pod's node affinity/selector.");
    expect(fleet.replicas().find((w) => w.namespace === pending.metadata.namespace)!.pods[0]).toMatchObject({ phase: "Pending", gpus: [] });

    const holder = pending.metadata.namespace === "beta" ? "acme" : "beta";
    fleet.setDesiredReplicas({ namespace: holder, name: holder === "acme" ? "big" : "other" }, 0);
    await eventually(() => pods(store, pending.metadata.namespace!).some((p) => (p.spec as { nodeName?: string }).nodeName === "gpu-l4-0"), "pending pod scheduled after the other drained");
  });

  it("replaces pods on a template change (new ready before old goes) and removes pods with their workload", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store);
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "ready");
    const first = pods(store, "acme")[0]!.metadata.name;
    store.apply(modelDeployment({ tenant: "acme", name: "chat", image: "vllm/vllm-openai:v0.27.0" }), DEPLOYMENT);
    await eventually(() => pods(store, "acme").length === 1 && pods(store, "acme")[0]!.metadata.name !== first && fleet.replicas()[0]!.ready === 1, "rolled pod");
    expect(deploymentStatus(store, "acme", "chat")).toMatchObject({ replicas: 1, updatedReplicas: 1, readyReplicas: 1 });

    store.delete({ kind: DEPLOYMENT, namespace: "acme", name: "chat" });
    await eventually(() => pods(store, "acme").length === 0, "pods garbage-collected");
    expect(fleet.replicas()).toEqual([]);
    expect(store.list({ kind: "Pod" })).toEqual([]);
  });

  it("runs a LeaderWorkerSet replica as a group whose leader serves and whose workers hold GPUs", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store);
    const d = modelDeployment({ tenant: "acme", name: "big-decode", gpus: 8 });
    const template = (d.spec as { template: Record<string, unknown> }).template;
    store.apply({ apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet", metadata: { ...d.metadata }, spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: template, workerTemplate: template } } }, LWS);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "group ready");
    expect(store.list({ kind: "Pod", namespace: "acme" }).map((p) => p.metadata.name)).toEqual(["big-decode-0", "big-decode-0-1"]);
    const view = fleet.replicas()[0]!;
    expect(view).toMatchObject({ kind: "LeaderWorkerSet", gpusPerReplica: 16 });
    expect(new Set(view.pods.map((p) => p.node))).toEqual(new Set(["gpu-l4-0", "gpu-l4-1"]));
    expect(view.pods.filter((p) => p.url)).toHaveLength(1);
    expect(store.get({ kind: LWS, namespace: "acme", name: "big-decode" })?.status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(POD_KIND.kind).toBe("Pod");
  });

  it("lists scrape targets with kubernetes_sd meta labels and tells listeners when they change", async () => {
    const store = new ClusterStore();
    const fleet = await fleetOn(store);
    let changes = 0;
    fleet.onTargetsChanged(() => changes++);
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "ready");
    const targets = fleet.targets();
    expect(targets.filter((t) => t.job === "dcgm-exporter")).toHaveLength(4);
    expect(targets.filter((t) => t.job === "kube-state-metrics")).toHaveLength(1);
    const vllm = targets.find((t) => t.job === "vllm")!;
    expect(vllm.labels).toMatchObject({
      __meta_kubernetes_namespace: "acme",
      __meta_kubernetes_pod_name: fleet.replicas()[0]!.pods[0]!.name,
      __meta_kubernetes_pod_node_name: fleet.replicas()[0]!.pods[0]!.node,
      __meta_kubernetes_pod_container_name: "vllm",
      __meta_kubernetes_pod_label_portal_inference_platform_io_deployment: "chat",
      __meta_kubernetes_pod_ready: "true",
    });
    expect(targets.find((t) => t.job === "epp")).toMatchObject({ metricsPath: "/epp/acme/chat/metrics", labels: { __meta_kubernetes_namespace: "acme" } });
    expect(changes).toBeGreaterThanOrEqual(2); // the replica appeared, then turned ready
    const metrics = await (await fetch(`http://${vllm.address}${vllm.metricsPath}`)).text();
    expect(metrics).toContain("vllm:num_requests_running");
  });
});
