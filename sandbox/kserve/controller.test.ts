import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderRequest } from "../../lib/gitops/render";
import { KSERVE_LLAMA_8B } from "../../lib/gitops/testing/cases";
import { TRACKING_ANNOTATION } from "../cluster/application";
import { findKind } from "../cluster/registry";
import { ClusterStore } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import { startFleet } from "../fleet/fleet";
import { DEPLOYMENT, eventually } from "../fleet/test-fixtures";
import type { Fleet } from "../fleet/types";
import { startKServeController, type KServeController } from "./controller";
import { strategicMerge } from "./merge";

const ISVC = findKind("serving.kserve.io/v1beta1", "InferenceService")!;
const RUNTIME = findKind("serving.kserve.io/v1alpha1", "ServingRuntime")!;
const SERVICE = findKind("v1", "Service")!;

const running: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});

async function cluster(modelLoadMs = 150): Promise<{ store: ClusterStore; fleet: Fleet; controller: KServeController }> {
  const store = new ClusterStore();
  const fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs, drainGraceMs: 1_000 });
  running.push(fleet);
  const controller = startKServeController(store);
  running.push(controller);
  return { store, fleet, controller };
}

/** The tenant objects of a real portal request, as Argo CD would apply them. */
function rendered(request: Parameters<typeof renderRequest>[0]): KubeObject[] {
  return renderRequest(request)
    .filter((f) => f.path.startsWith("tenants/") && f.path.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as KubeObject))
    .filter((o) => o && typeof o === "object" && "kind" in o);
}

function applyAll(store: ClusterStore, objects: KubeObject[]): void {
  for (const o of objects) {
    const kind = findKind(o.apiVersion, o.kind);
    if (!kind) throw new Error(`unknown kind ${o.apiVersion} ${o.kind}`);
    store.apply(o, kind);
  }
}

type Cond = { type: string; status: string; reason?: string; lastTransitionTime: string };
const isvcStatus = (store: ClusterStore, name: string) => store.get({ kind: ISVC, namespace: "acme", name })?.status as Record<string, unknown> | undefined;
const condition = (store: ClusterStore, name: string, type: string) => ((isvcStatus(store, name)?.conditions as Cond[] | undefined) ?? []).find((c) => c.type === type);
const predictor = (store: ClusterStore, name: string) => store.get({ kind: DEPLOYMENT, namespace: "acme", name: `${name}-predictor` });
const pods = (store: ClusterStore) => store.list({ group: "", kind: "Pod", namespace: "acme" });

describe("KServe controller stand-in (Standard mode)", { timeout: 20_000 }, () => {
  it("turns a rendered KServe deployment request into Ready predictor pods, and deleting the InferenceService removes them", async () => {
    const { store, fleet } = await cluster(400);
    const objects = rendered({ ...KSERVE_LLAMA_8B, minReplicas: 2 });
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(["InferenceService", "ServingRuntime", "ScaledObject"]));
    applyAll(store, objects);

    const deployment = await eventually(() => predictor(store, "llama-8b"), "predictor Deployment");
    const isvc = store.get({ kind: ISVC, namespace: "acme", name: "llama-8b" })!;
    expect(deployment.metadata.ownerReferences).toEqual([
      { apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", name: "llama-8b", uid: isvc.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(deployment.metadata.labels).toMatchObject({
      "serving.kserve.io/inferenceservice": "llama-8b",
      component: "predictor",
      app: "isvc.llama-8b-predictor",
      "app.kubernetes.io/component": "model-server",
      "portal.inference-platform.io/deployment": "llama-8b",
      "portal.inference-platform.io/model": "llama-3.1-8b-instruct",
      "portal.inference-platform.io/endpoint": "true",
    });
    const spec = deployment.spec as { replicas?: number; selector: unknown; template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, unknown> } };
    expect(spec.replicas).toBeUndefined();
    expect(spec.selector).toEqual({ matchLabels: { app: "isvc.llama-8b-predictor" } });
    expect(spec.template.metadata.annotations).toMatchObject({ "prometheus.io/scrape": "true", "serving.kserve.io/deploymentMode": "Standard" });
    const pod = spec.template.spec as { containers: Array<Record<string, unknown>>; nodeSelector: unknown; tolerations: unknown; volumes: unknown[]; serviceAccountName: string };
    expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB" });
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.serviceAccountName).toBe("model-server");
    expect(pod.volumes).toHaveLength(2);
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({
      name: "kserve-container",
      image: "vllm/vllm-openai:v0.26.0",
      command: ["vllm", "serve"],
      args: expect.arrayContaining(["--served-model-name=meta-llama/Llama-3.1-8B-Instruct"]),
      resources: { requests: { cpu: "8", memory: "64Gi", "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } },
    });
    expect(Object.keys(pod).some((k) => ["model", "minReplicas", "labels", "annotations"].includes(k))).toBe(false);
    expect(store.get({ kind: SERVICE, namespace: "acme", name: "llama-8b-predictor" })?.spec).toMatchObject({
      selector: { app: "isvc.llama-8b-predictor" },
      ports: [{ port: 80, targetPort: 8000 }],
    });

    // Loading: the fleet's Deployment status is not Available yet, so neither is the isvc.
    await eventually(() => pods(store).length === 2, "two predictor pods");
    await eventually(() => condition(store, "llama-8b", "PredictorReady")?.status === "False", "PredictorReady False while loading");
    expect(condition(store, "llama-8b", "Ready")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
    expect(isvcStatus(store, "llama-8b")?.url).toBeUndefined();

    await eventually(() => condition(store, "llama-8b", "Ready")?.status === "True", "isvc Ready");
    const status = isvcStatus(store, "llama-8b")!;
    expect(status).toMatchObject({
      url: "http://llama-8b-acme.example.com",
      address: { url: "http://llama-8b-predictor.acme.svc.cluster.local" },
      deploymentMode: "Standard",
      servingRuntimeName: "llama-8b-vllm",
      observedGeneration: 1,
      components: { predictor: { url: "http://llama-8b-predictor-acme.example.com" } },
    });
    expect(condition(store, "llama-8b", "PredictorReady")).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable" });
    expect(condition(store, "llama-8b", "IngressReady")?.status).toBe("True");
    await eventually(() => (isvcStatus(store, "llama-8b")?.modelStatus as { transitionStatus?: string })?.transitionStatus === "UpToDate", "model loaded");
    expect(isvcStatus(store, "llama-8b")?.modelStatus).toMatchObject({ states: { activeModelState: "Loaded", targetModelState: "Loaded" }, copies: { totalCopies: 2 } });

    // The fleet serves it: two ready replicas of the served model on A100 GPUs, answering requests.
    const view = fleet.replicas().find((w) => w.name === "llama-8b-predictor")!;
    expect(view).toMatchObject({ namespace: "acme", model: "meta-llama/Llama-3.1-8B-Instruct", modelId: "llama-3.1-8b-instruct", pool: "llama-8b", gpuType: "A100-80GB", desired: 2, ready: 2 });
    for (const p of pods(store)) expect(p.metadata.labels).toMatchObject({ "serving.kserve.io/inferenceservice": "llama-8b", component: "predictor" });
    const replica = fleet.pickReplica("meta-llama/Llama-3.1-8B-Instruct", "acme")!;
    expect((await fetch(`${replica.url}/health`)).status).toBe(200);

    // A status rewrite with nothing changed keeps the transition times (no status churn).
    const readySince = condition(store, "llama-8b", "Ready")!.lastTransitionTime;
    const rv = store.get({ kind: ISVC, namespace: "acme", name: "llama-8b" })!.metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 1_100));
    expect(condition(store, "llama-8b", "Ready")!.lastTransitionTime).toBe(readySince);
    expect(store.get({ kind: ISVC, namespace: "acme", name: "llama-8b" })!.metadata.resourceVersion).toBe(rv);

    store.delete({ kind: ISVC, namespace: "acme", name: "llama-8b" });
    await eventually(() => !predictor(store, "llama-8b") && !store.get({ kind: SERVICE, namespace: "acme", name: "llama-8b-predictor" }), "children garbage-collected");
    await eventually(() => pods(store).length === 0, "predictor pods gone", 5_000);
    expect(fleet.replicas().find((w) => w.name === "llama-8b-predictor")).toBeUndefined();
    // The ScaledObject, ServingRuntime… are Argo's, not the controller's.
    expect(store.get({ kind: RUNTIME, namespace: "acme", name: "llama-8b-vllm" })).toBeDefined();
  });

  it("scales the predictor through its ScaledObject target name, as KEDA's HPA would", async () => {
    const { store, fleet } = await cluster();
    const objects = rendered(KSERVE_LLAMA_8B);
    const scaledObject = objects.find((o) => o.kind === "ScaledObject")!;
    expect((scaledObject.spec as { scaleTargetRef: unknown }).scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "llama-8b-predictor" });
    applyAll(store, objects);
    await eventually(() => fleet.replicas().find((w) => w.name === "llama-8b-predictor")?.ready === 1, "minReplicaCount replica");

    fleet.setDesiredReplicas({ namespace: "acme", name: "llama-8b-predictor" }, 3);
    await eventually(() => fleet.replicas().find((w) => w.name === "llama-8b-predictor")?.ready === 3, "three replicas");
    await eventually(() => (isvcStatus(store, "llama-8b")?.modelStatus as { copies?: { totalCopies: number } })?.copies?.totalCopies === 3, "three copies");
    // KEDA's count is not overwritten by the controller's reconcile of the Deployment.
    const isvc = structuredClone(store.get({ kind: ISVC, namespace: "acme", name: "llama-8b" })!);
    isvc.metadata.labels = { ...isvc.metadata.labels, touched: "yes" };
    store.apply(isvc, ISVC);
    await eventually(() => predictor(store, "llama-8b")?.metadata.labels?.touched === "yes", "label propagated");
    expect(fleet.replicas().find((w) => w.name === "llama-8b-predictor")?.desired).toBe(3);
  });

  it("rolls the predictor when the ServingRuntime changes, and waits for a missing runtime", async () => {
    const { store, fleet } = await cluster();
    const objects = rendered(KSERVE_LLAMA_8B);
    const runtime = objects.find((o) => o.kind === "ServingRuntime")!;
    applyAll(store, objects.filter((o) => o !== runtime));

    await eventually(() => (isvcStatus(store, "llama-8b")?.modelStatus as { transitionStatus?: string })?.transitionStatus === "InvalidSpec", "InvalidSpec status");
    expect(isvcStatus(store, "llama-8b")?.modelStatus).toMatchObject({ lastFailureInfo: { reason: "RuntimeNotRecognized", message: "Waiting for runtime to become available" } });
    expect(condition(store, "llama-8b", "Ready")?.status).toBe("Unknown");
    expect(predictor(store, "llama-8b")).toBeUndefined();

    store.apply(runtime, RUNTIME);
    await eventually(() => fleet.replicas().find((w) => w.name === "llama-8b-predictor")?.ready === 1, "replica once the runtime exists");
    expect(isvcStatus(store, "llama-8b")?.modelStatus).not.toHaveProperty("lastFailureInfo");

    const changed = structuredClone(runtime) as KubeObject & { spec: { containers: Array<{ args: string[] }> } };
    changed.spec.containers[0]!.args = changed.spec.containers[0]!.args.map((a) => (a.startsWith("--served-model-name=") ? "--served-model-name=llama-8b-v2" : a));
    store.apply(changed, RUNTIME);
    await eventually(() => fleet.pickReplica("llama-8b-v2", "acme"), "new template serving the new name");
    await eventually(() => pods(store).length === 1 && condition(store, "llama-8b", "Ready")?.status === "True", "old replica replaced");
  });

  it("runs a runtime that does not support the model format, a foreign same-named Deployment and hostile labels safely", async () => {
    const { store } = await cluster();
    const objects = rendered(KSERVE_LLAMA_8B);
    const isvc = objects.find((o) => o.kind === "InferenceService")! as KubeObject & { spec: { predictor: Record<string, unknown> & { model: { modelFormat: { name: string } }; labels: Record<string, string> } } };
    isvc.metadata.annotations = { ...isvc.metadata.annotations, [TRACKING_ANNOTATION]: "tenant-acme:serving.kserve.io/InferenceService:acme/llama-8b" };
    // A predictor label may not claim another InferenceService's pods or the selector.
    isvc.spec.predictor.labels = { ...isvc.spec.predictor.labels, "serving.kserve.io/inferenceservice": "victim", app: "isvc.victim-predictor", component: "x" };
    applyAll(store, objects);
    const deployment = await eventually(() => predictor(store, "llama-8b"), "predictor");
    expect(deployment.metadata.annotations).not.toHaveProperty(TRACKING_ANNOTATION);
    expect(deployment.metadata.labels).toMatchObject({ "serving.kserve.io/inferenceservice": "llama-8b", app: "isvc.llama-8b-predictor", component: "predictor" });

    // A format the runtime does not list: KServe refuses, and keeps what already runs.
    const wrong = structuredClone(isvc);
    wrong.spec.predictor.model.modelFormat.name = "sklearn";
    store.apply(wrong, ISVC);
    await eventually(() => (isvcStatus(store, "llama-8b")?.modelStatus as { lastFailureInfo?: { reason: string } })?.lastFailureInfo?.reason === "NoSupportingRuntime", "NoSupportingRuntime");
    expect(predictor(store, "llama-8b")).toBeDefined();

    // Neither model nor containers.
    const empty = structuredClone(isvc);
    delete (empty.spec.predictor as Record<string, unknown>).model;
    store.apply(empty, ISVC);
    await eventually(() => (isvcStatus(store, "llama-8b")?.modelStatus as { lastFailureInfo?: { reason: string } })?.lastFailureInfo?.reason === "InvalidPredictorSpec", "InvalidPredictorSpec");

    // Someone else's Deployment with the predictor's name is neither adopted nor deleted.
    const other = structuredClone(objects.find((o) => o.kind === "InferenceService")!);
    other.metadata.name = "other";
    const foreign: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "other-predictor", namespace: "acme", labels: { team: "x" } }, spec: { selector: { matchLabels: { team: "x" } }, template: { metadata: { labels: { team: "x" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } };
    store.apply(foreign, DEPLOYMENT);
    store.apply(other, ISVC);
    await eventually(() => isvcStatus(store, "other"), "other isvc status");
    await new Promise((r) => setTimeout(r, 50));
    expect(predictor(store, "other")?.metadata.labels).toEqual({ team: "x" });
    expect(condition(store, "other", "PredictorReady")?.status).toBe("Unknown");
    store.delete({ kind: ISVC, namespace: "acme", name: "other" });
    await new Promise((r) => setTimeout(r, 50));
    expect(predictor(store, "other")).toBeDefined();
  });
});

describe("strategicMerge (KServe's runtime + predictor container merge)", () => {
  it("merges maps and keyed lists, replaces scalars and unkeyed lists, and leaves its inputs alone", () => {
    const base = {
      image: "a",
      env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
      resources: { requests: { cpu: "1" } },
      command: ["x"],
      volumeMounts: [{ name: "m", mountPath: "/m" }],
    };
    const snapshot = structuredClone(base);
    const merged = strategicMerge(base, { image: "b", env: [{ name: "B", value: "3" }, { name: "C", value: "4" }], resources: { requests: { "nvidia.com/gpu": "1" } }, command: ["y"] });
    expect(merged).toEqual({
      image: "b",
      env: [{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }],
      resources: { requests: { cpu: "1", "nvidia.com/gpu": "1" } },
      command: ["y"],
      volumeMounts: [{ name: "m", mountPath: "/m" }],
    });
    expect(base).toEqual(snapshot);
  });
});
