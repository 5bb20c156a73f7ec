import { execFileSync } from "node:child_process";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "./cluster-server";
import { defaultHealthCheck, type HealthCheck } from "./health";
import type { StoreEvent } from "./store";
import { createTestRepo, type TestRepo } from "./test-repo";
import { deployment, httpRoute, inferencePool, namespacedConfigMap, scaledObject, service, yamlDocs } from "./test-manifests";

/**
 * The portal's view of the stand-in: a real @kubernetes/client-node 1.4 client on the written
 * kubeconfig, a real git repo whose main moves like merged pull requests move it.
 */

const APPS = { group: "argoproj.io", version: "v1alpha1", namespace: "argocd", plural: "applications" };
const SYNC_DELAY_MS = 400;

interface AppStatus {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { phase?: string; message?: string; syncResult?: { revision?: string; resources?: Array<{ kind: string; status: string; message: string }> } };
  conditions?: Array<{ type: string; message: string; lastTransitionTime: string }>;
  resources?: Array<{ group?: string; kind: string; namespace?: string; name: string; status: string; health?: { status: string } }>;
  reconciledAt?: string;
}
interface Application {
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: AppStatus;
}

let repo: TestRepo;
let cluster: Cluster;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
const storeEvents: StoreEvent[] = [];

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

const getApp = async (name: string) => (await custom.getNamespacedCustomObject({ ...APPS, name })) as Application;
const statusOf = async (name: string) => (await getApp(name)).status ?? {};

/** Waits until the app has a finished operation (or a comparison result) at `revision`. */
function settledAt(name: string, revision: string) {
  return eventually(async () => {
    const s = await statusOf(name);
    const finished = s.operationState?.syncResult?.revision === revision && s.operationState.phase !== "Running";
    const compared = s.sync?.revision === revision && s.conditions?.some((c) => c.type === "ComparisonError");
    return finished || compared ? s : undefined;
  }, `${name} to settle at ${revision.slice(0, 7)}`);
}

async function errorCode(call: Promise<unknown>): Promise<{ code: number; body: unknown }> {
  try {
    await call;
  } catch (err) {
    const e = err as k8s.ApiException<string>;
    return { code: e.code, body: typeof e.body === "string" ? JSON.parse(e.body) : e.body };
  }
  throw new Error("expected the call to fail");
}

const acmeFiles = (replicas: unknown = 1) => ({
  "tenants/acme/model.yaml": yamlDocs(deployment("web", { replicas }), service("web")),
  "tenants/acme/routing/pool.yaml": yamlDocs(inferencePool("web"), httpRoute("web", "web")),
  "tenants/acme/scaling.yaml": yamlDocs(scaledObject("web", "web")),
  "tenants/README.md": "one directory per tenant\n",
});

beforeAll(async () => {
  repo = await createTestRepo();
  cluster = await startCluster({ repoPath: repo.repoPath, port: 0, pollMs: 100, syncDelayMs: SYNC_DELAY_MS });
  cluster.store.on("change", (e) => storeEvents.push(e));
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});

afterAll(async () => {
  await cluster?.close();
  await repo?.dispose();
});

describe("cluster stand-in (Argo CD + Kubernetes API)", () => {
  let firstSha: string;

  it("generates tenant-acme from tenants/acme and syncs it: Running/OutOfSync, then Synced + Healthy at the commit", async () => {
    const watched: Array<{ type: string; phase?: string; sync?: string; revision?: string }> = [];
    const abort = await new k8s.Watch(kc).watch(
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications",
      {},
      (type, obj: Application) => watched.push({ type, phase: obj.status?.operationState?.phase, sync: obj.status?.sync?.status, revision: obj.status?.sync?.revision }),
      () => {},
    );

    firstSha = await repo.commit(acmeFiles(), "tenant acme");
    const seen = new Set<string>();
    const final = await eventually(async () => {
      const s = await statusOf("tenant-acme");
      if (s.sync?.revision === firstSha) seen.add(`${s.operationState?.phase}/${s.sync.status}/${s.health?.status}`);
      return s.operationState?.phase === "Succeeded" && s.sync?.revision === firstSha ? s : undefined;
    }, "tenant-acme to sync");
    await eventually(async () => (watched.some((w) => w.phase === "Succeeded") ? true : undefined), "the watch to see the sync finish");
    abort.abort();

    expect(seen).toContain("Running/OutOfSync/Progressing");
    expect(final.sync).toMatchObject({ status: "Synced", revision: firstSha });
    expect(final.health?.status).toBe("Healthy");
    expect(final.operationState).toMatchObject({ phase: "Succeeded", message: "successfully synced (all tasks run)", syncResult: { revision: firstSha } });
    expect(final.conditions).toBeUndefined();
    expect(final.reconciledAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(final.resources?.map((r) => `${r.kind}/${r.name} ${r.status} ${r.health?.status ?? "-"}`).sort()).toEqual([
      "Deployment/web Synced Healthy",
      "HTTPRoute/web Synced -",
      "InferencePool/web Synced -",
      "ScaledObject/web Synced Healthy",
      "Service/web Synced Healthy",
    ]);

    const app = await getApp("tenant-acme");
    expect(app.metadata.labels).toMatchObject({ tenant: "acme" });
    expect(app.spec).toMatchObject({
      source: { repoURL: `file://${repo.repoPath}`, path: "tenants/acme", targetRevision: "main" },
      destination: { namespace: "acme" },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });

    expect(watched[0]).toMatchObject({ type: "ADDED" });
    expect(watched.some((w) => w.type === "MODIFIED" && w.phase === "Running" && w.revision === firstSha)).toBe(true);
    expect(watched.at(-1)).toMatchObject({ type: "MODIFIED", phase: "Succeeded", sync: "Synced", revision: firstSha });
    // In-process subscribers (the later simulators) see the applied workloads.
    expect(storeEvents.some((e) => e.type === "ADDED" && e.kind.kind === "Deployment" && e.object.metadata.name === "web")).toBe(true);
    expect(cluster.store.list({ kind: "ScaledObject" }).map((o) => o.metadata.name)).toEqual(["web"]);
  });

  it("serves the applied objects through CoreV1Api, AppsV1Api and CustomObjectsApi", async () => {
    const deployments = await apps.listNamespacedDeployment({ namespace: "acme", labelSelector: "app=web" });
    expect(deployments.kind).toBe("DeploymentList");
    expect(deployments.items.map((d) => d.metadata?.name)).toEqual(["web"]);
    const web = deployments.items[0]!;
    expect(web.spec?.replicas).toBe(1);
    expect(web.metadata?.annotations?.["argocd.argoproj.io/tracking-id"]).toBe("tenant-acme:apps/Deployment:acme/web");
    expect(web.metadata).toMatchObject({ namespace: "acme", generation: 1 });
    expect(web.metadata?.uid).toBeTruthy();
    expect(web.metadata?.resourceVersion).toBeTruthy();
    expect(web.metadata?.creationTimestamp).toBeInstanceOf(Date);

    expect((await apps.listNamespacedDeployment({ namespace: "acme", labelSelector: "app=other" })).items).toEqual([]);
    expect((await core.readNamespacedService({ name: "web", namespace: "acme" })).spec?.ports?.[0]?.port).toBe(8000);
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toContain("acme"); // CreateNamespace=true

    const pools = await custom.listNamespacedCustomObject({ group: "inference.networking.k8s.io", version: "v1", namespace: "acme", plural: "inferencepools" });
    expect(pools).toMatchObject({ kind: "InferencePoolList", apiVersion: "inference.networking.k8s.io/v1", metadata: { resourceVersion: expect.any(String) } });
    expect(pools.items).toHaveLength(1);
    expect(pools.items[0].spec.appProtocol).toBe("http"); // CRD default applied
    const so = await custom.getNamespacedCustomObject({ group: "keda.sh", version: "v1alpha1", namespace: "acme", plural: "scaledobjects", name: "web" });
    expect(so.spec.maxReplicaCount).toBe(4);
    const allApps = await custom.listClusterCustomObject({ group: "argoproj.io", version: "v1alpha1", plural: "applications", labelSelector: "tenant=acme" });
    expect(allApps.items.map((a: Application) => a.metadata.name)).toEqual(["tenant-acme"]);
  });

  it("fails a sync with an invalid object: Failed/Degraded with the message, nothing applied", async () => {
    const before = await apps.readNamespacedDeployment({ name: "web", namespace: "acme" });
    const sha = await repo.commit({ ...acmeFiles("two"), "tenants/acme/extra.yaml": yamlDocs(namespacedConfigMap("extra")) }, "bad replicas");
    const s = await settledAt("tenant-acme", sha);

    const reason = 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"';
    expect(s.operationState).toMatchObject({ phase: "Failed", message: `one or more objects failed to apply, reason: ${reason}` });
    expect(s.sync).toMatchObject({ status: "OutOfSync", revision: sha });
    expect(s.health).toMatchObject({ status: "Degraded", message: reason });
    expect(s.conditions).toEqual([{ type: "SyncError", message: `Failed sync attempt to ${sha}: one or more objects failed to apply, reason: ${reason}`, lastTransitionTime: expect.any(String) }]);
    expect(s.operationState?.syncResult?.resources).toEqual([expect.objectContaining({ kind: "Deployment", status: "SyncFailed", message: reason })]);
    expect(s.resources?.find((r) => r.kind === "ConfigMap")).toMatchObject({ name: "extra", status: "OutOfSync", health: { status: "Missing" } });

    const after = await apps.readNamespacedDeployment({ name: "web", namespace: "acme" });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect((await errorCode(core.readNamespacedConfigMap({ name: "extra", namespace: "acme" }))).code).toBe(404);
  });

  it("fails a new tenant whose InferencePool lacks required fields", async () => {
    const pool = inferencePool("pool");
    delete (pool.spec as Record<string, unknown>).targetPorts;
    const sha = await repo.commit({ "tenants/beta/pool.yaml": yamlDocs(pool) }, "tenant beta");
    const s = await settledAt("tenant-beta", sha);
    expect(s.operationState?.message).toBe(
      'one or more objects failed to apply, reason: InferencePool.inference.networking.k8s.io "pool" is invalid: spec.targetPorts: Required value',
    );
    expect(s.health?.status).toBe("Degraded");
    expect((await custom.listNamespacedCustomObject({ group: "inference.networking.k8s.io", version: "v1", namespace: "beta", plural: "inferencepools" })).items).toEqual([]);
  });

  it("recovers on a fixed commit and prunes objects removed from the folder", async () => {
    const files: Record<string, string | null> = { ...acmeFiles(2), "tenants/acme/scaling.yaml": null, "tenants/acme/extra.yaml": null };
    const sha = await repo.commit(files, "fix replicas, drop scaling");
    const s = await settledAt("tenant-acme", sha);
    expect(s.operationState?.phase).toBe("Succeeded");
    expect(s.sync).toMatchObject({ status: "Synced", revision: sha });
    expect(s.health?.status).toBe("Healthy");
    expect(s.conditions).toBeUndefined();
    expect(s.operationState?.syncResult?.resources).toContainEqual(expect.objectContaining({ kind: "ScaledObject", status: "Pruned" }));
    expect(s.operationState?.syncResult?.resources).toContainEqual(expect.objectContaining({ kind: "Deployment", message: "deployment.apps/web configured" }));
    const web = await apps.readNamespacedDeployment({ name: "web", namespace: "acme" });
    expect(web.spec?.replicas).toBe(2);
    expect(web.metadata?.generation).toBe(2);
    expect((await errorCode(custom.getNamespacedCustomObject({ group: "keda.sh", version: "v1alpha1", namespace: "acme", plural: "scaledobjects", name: "web" }))).code).toBe(404);
  });

  it("reports unparsable YAML as a ComparisonError without running a sync", async () => {
    const sha = await repo.commit({ "tenants/beta/pool.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [oops\n" }, "broken yaml");
    const s = await settledAt("tenant-beta", sha);
    expect(s.sync).toMatchObject({ status: "Unknown", revision: sha });
    expect(s.conditions?.[0]?.type).toBe("ComparisonError");
    expect(s.conditions?.[0]?.message).toContain('failed to unmarshal "tenants/beta/pool.yaml"');
    // tenant-acme did not change: it stays Synced, now compared at the new revision.
    expect((await statusOf("tenant-acme")).sync).toMatchObject({ status: "Synced", revision: sha });
  });

  it("deletes the Application and its objects when the tenant folder disappears", async () => {
    const watched: string[] = [];
    const abort = await new k8s.Watch(kc).watch(
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications",
      { resourceVersion: String(cluster.store.resourceVersion) },
      (type, obj: Application) => watched.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await repo.commit({ "tenants/acme": null }, "offboard acme");
    const gone = await eventually(async () => {
      const { code } = await errorCode(custom.getNamespacedCustomObject({ ...APPS, name: "tenant-acme" }));
      return code === 404 ? code : undefined;
    }, "tenant-acme to be deleted");
    expect(gone).toBe(404);
    expect((await apps.listNamespacedDeployment({ namespace: "acme" })).items).toEqual([]);
    await eventually(async () => (watched.includes("DELETED tenant-acme") ? true : undefined), "the DELETED watch event");
    abort.abort();
    expect((await custom.listNamespacedCustomObject({ ...APPS })).items.map((a: Application) => a.metadata.name)).toEqual(["tenant-beta"]);
  });

  it.skipIf(!hasKubectl())("renders a tenant folder with a kustomization through kubectl kustomize", async () => {
    const sha = await repo.commit(
      {
        "tenants/gamma/kustomization.yaml": "resources:\n  - base.yaml\nnamePrefix: gamma-\nlabels:\n  - pairs: {team: gamma}\n",
        "tenants/gamma/base.yaml": yamlDocs(namespacedConfigMap("settings")),
      },
      "tenant gamma (kustomize)",
    );
    const s = await settledAt("tenant-gamma", sha);
    expect(s.operationState?.phase).toBe("Succeeded");
    const cms = await core.listNamespacedConfigMap({ namespace: "gamma", labelSelector: "team=gamma" });
    expect(cms.items.map((c) => c.metadata?.name)).toEqual(["gamma-settings"]);
  });
});

describe("Kubernetes API semantics", () => {
  it("answers 404 with a Status object", async () => {
    const { code, body } = await errorCode(custom.getNamespacedCustomObject({ ...APPS, name: "x" }));
    expect(code).toBe(404);
    expect(body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", message: 'applications.argoproj.io "x" not found', reason: "NotFound", code: 404 });
    const unknown = await fetch(`${cluster.url}/apis/example.com/v1/namespaces/a/widgets`, { headers: { authorization: `Bearer ${cluster.token}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: "Status", reason: "NotFound", message: "the server could not find the requested resource" });
  });

  it("requires the bearer token (401 Status) but serves /version anonymously", async () => {
    const anonymous = await fetch(`${cluster.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });

    const wrong = new k8s.KubeConfig();
    wrong.loadFromString(
      JSON.stringify({
        clusters: [{ name: "c", cluster: { server: cluster.url, "insecure-skip-tls-verify": true } }],
        users: [{ name: "u", user: { token: "not-the-token" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
    );
    expect((await errorCode(wrong.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({ ...APPS }))).code).toBe(401);
    expect((await (await fetch(`${cluster.url}/version`)).json()).major).toBe("1");
  });

  it("is read-only: writes get 405", async () => {
    const { code, body } = await errorCode(core.deleteNamespacedConfigMap({ name: "x", namespace: "default" }));
    expect(code).toBe(405);
    expect(body).toMatchObject({ kind: "Status", reason: "MethodNotAllowed", code: 405 });
  });

  it("serves discovery", async () => {
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(["argoproj.io", "keda.sh", "inference.networking.k8s.io", "apps"]));
    const resources = await kc.makeApiClient(k8s.CustomObjectsApi).getAPIResources({ group: "keda.sh", version: "v1alpha1" });
    expect(resources.resources.find((r) => r.name === "scaledobjects")).toMatchObject({ kind: "ScaledObject", namespaced: true, verbs: ["get", "list", "watch"] });
  });

  it("feeds a client-node informer (list, then watch from the list's resourceVersion)", async () => {
    const path = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications";
    const informer = k8s.makeInformer(kc, path, () => custom.listNamespacedCustomObject({ ...APPS }) as Promise<k8s.KubernetesListObject<Application & k8s.KubernetesObject>>);
    const added: string[] = [];
    informer.on("add", (obj) => added.push(obj.metadata?.name ?? ""));
    await informer.start();
    await eventually(async () => (added.includes("tenant-beta") ? true : undefined), "the informer's add event");
    const sha = await repo.commit({ "tenants/delta/cm.yaml": yamlDocs(namespacedConfigMap("c")) }, "tenant delta");
    await eventually(async () => (added.includes("tenant-delta") ? true : undefined), "the informer to see tenant-delta");
    await settledAt("tenant-delta", sha);
    expect(informer.get("tenant-delta", "argocd")?.status).toBeTruthy();
    await informer.stop();
  });

  it("replays watch history from a resourceVersion and filters by label", async () => {
    const rv = cluster.store.resourceVersion;
    const sha = await repo.commit({ "tenants/delta/cm.yaml": yamlDocs(namespacedConfigMap("c", { key: "changed" })) }, "change delta");
    await settledAt("tenant-delta", sha);
    const res = await fetch(
      `${cluster.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?watch=1&resourceVersion=${rv}&labelSelector=tenant%3Ddelta&timeoutSeconds=1`,
      { headers: { authorization: `Bearer ${cluster.token}` } },
    );
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as { type: string; object: Application });
    expect(lines.length).toBeGreaterThan(1);
    expect(new Set(lines.map((l) => l.object.metadata.name))).toEqual(new Set(["tenant-delta"]));
    expect(lines.map((l) => l.type)).toEqual(lines.map(() => "MODIFIED"));
    expect(lines.at(-1)?.object.status?.sync).toMatchObject({ status: "Synced", revision: sha });

    const expired = await fetch(`${cluster.url}/api/v1/namespaces/x/configmaps?watch=true&resourceVersion=-5`, { headers: { authorization: `Bearer ${cluster.token}` } });
    expect(JSON.parse((await expired.text()).trim())).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });
});

function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("health checks plugged in by simulators", () => {
  it("follows workload status written through the store", async () => {
    const local = await createTestRepo();
    // Readiness as a replica simulator would model it: Progressing until status says ready.
    const health: HealthCheck = (object, kind) => {
      if (kind.kind !== "Deployment") return defaultHealthCheck(object, kind);
      const ready = (object.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
      const wanted = (object.spec as { replicas?: number }).replicas ?? 1;
      return ready >= wanted ? { status: "Healthy" } : { status: "Progressing", message: `${ready}/${wanted} replicas ready` };
    };
    const c = await startCluster({ repoPath: local.repoPath, port: 0, pollMs: 60_000, syncDelayMs: 0, health });
    try {
      await local.commit({ "tenants/omega/web.yaml": yamlDocs(deployment("web")) });
      await c.reconcileNow();
      const app = () => c.store.get({ kind: { group: "argoproj.io", kind: "Application" }, namespace: "argocd", name: "tenant-omega" })?.status as AppStatus;
      expect(app().sync?.status).toBe("Synced");
      expect(app().health).toMatchObject({ status: "Progressing", message: "0/1 replicas ready" });

      c.store.updateStatus({ kind: { group: "apps", kind: "Deployment" }, namespace: "omega", name: "web" }, { replicas: 1, readyReplicas: 1 });
      await eventually(async () => (app().health?.status === "Healthy" ? true : undefined), "the app to become Healthy");
      expect(app().resources?.[0]?.health).toEqual({ status: "Healthy" });
    } finally {
      await c.close();
      await local.dispose();
    }
  });
});
