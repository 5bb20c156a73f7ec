import { describe, expect, it } from "vitest";
import { findKind } from "./registry";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import { ClusterStore, type StoreEvent } from "./store";
import type { KubeObject } from "./validate";

const DEPLOYMENT = findKind("apps/v1", "Deployment")!;
const CONFIGMAP = findKind("v1", "ConfigMap")!;

const deployment = (name: string, replicas = 1, labels: Record<string, string> = { app: name }): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "acme", labels },
  spec: { replicas },
});

describe("ClusterStore", () => {
  it("creates, configures and leaves unchanged like kubectl apply, tracking generation and resourceVersion", () => {
    const store = new ClusterStore();
    const created = store.apply(deployment("web"), DEPLOYMENT);
    expect(created.action).toBe("created");
    expect(created.object.metadata).toMatchObject({ generation: 1, resourceVersion: "2" });
    expect(created.object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.apply(deployment("web"), DEPLOYMENT).action).toBe("unchanged");

    store.updateStatus({ kind: DEPLOYMENT, namespace: "acme", name: "web" }, { readyReplicas: 1 });
    const relabeled = store.apply(deployment("web", 1, { app: "web", tier: "gold" }), DEPLOYMENT);
    expect(relabeled.action).toBe("configured");
    expect(relabeled.object.metadata.generation).toBe(1); // metadata only
    expect(relabeled.object.status).toEqual({ readyReplicas: 1 }); // apply keeps status
    const scaled = store.apply(deployment("web", 3), DEPLOYMENT);
    expect(scaled.object.metadata).toMatchObject({ generation: 2, uid: created.object.metadata.uid, resourceVersion: "5" });
    expect(Object.isFrozen(scaled.object.spec)).toBe(true);

    const cm = store.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "acme" }, data: {} }, CONFIGMAP);
    expect(cm.object.metadata.generation).toBeUndefined();
  });

  it("notifies subscribers and replays history from a resourceVersion", () => {
    const store = new ClusterStore();
    const seen: StoreEvent[] = [];
    const off = store.on("change", (e) => seen.push(e));
    store.apply(deployment("a"), DEPLOYMENT);
    const rv = store.resourceVersion;
    store.apply(deployment("a", 2), DEPLOYMENT);
    store.delete({ kind: DEPLOYMENT, namespace: "acme", name: "a" });
    off();
    store.apply(deployment("b"), DEPLOYMENT);
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED a", "MODIFIED a", "DELETED a"]);
    expect(seen[1]!.previous?.spec).toEqual({ replicas: 1 });
    const since = store.eventsSince(rv);
    expect(since === "expired" ? since : since.map((e) => e.type)).toEqual(["MODIFIED", "DELETED", "ADDED"]);
  });

  it("lists by kind, namespace and label selector", () => {
    const store = new ClusterStore();
    store.apply(deployment("web", 1, { app: "web", tier: "gold" }), DEPLOYMENT);
    store.apply(deployment("api", 1, { app: "api" }), DEPLOYMENT);
    store.apply({ ...deployment("other"), metadata: { name: "other", namespace: "beta" } }, DEPLOYMENT);
    const names = (labelSelector?: string, namespace?: string) =>
      store.list({ kind: "Deployment", namespace, labels: parseLabelSelector(labelSelector) }).map((o) => o.metadata.name);
    expect(names()).toEqual(["api", "web", "other"]);
    expect(names(undefined, "acme")).toEqual(["api", "web"]);
    expect(names("tier=gold")).toEqual(["web"]);
    expect(names("app in (web, api),!tier")).toEqual(["api"]);
    expect(names("app!=web,app")).toEqual(["api"]);
    expect(names("app notin (web)")).toEqual(["api", "other"]);
  });
});

describe("selectors", () => {
  it("rejects malformed selectors and unsupported fields", () => {
    expect(() => parseLabelSelector("app in (web")).toThrow(SelectorError);
    expect(() => parseFieldSelector("spec.nodeName=x")).toThrow("field label not supported: spec.nodeName");
    const byName = parseFieldSelector("metadata.name=web");
    expect(byName({ "metadata.name": "web" })).toBe(true);
    expect(byName({ "metadata.name": "api" })).toBe(false);
  });
});
