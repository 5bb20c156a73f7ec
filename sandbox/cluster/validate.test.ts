import { describe, expect, it } from "vitest";
import { tenantApplication } from "./application";
import { deployment, httpRoute, inferencePool, scaledObject, service } from "./test-manifests";
import { validateObject } from "./validate";

/** The error list of an invalid object (fails the test when the object was accepted). */
function errorsOf(object: unknown): string[] {
  const result = validateObject(object);
  if (result.ok) throw new Error(`expected ${JSON.stringify(object).slice(0, 120)} to be rejected`);
  return result.errors;
}

function expectValid(object: unknown) {
  const result = validateObject(object);
  expect(result.ok ? [] : result.errors).toEqual([]);
  return result.ok ? result.object : undefined;
}

describe("validateObject against the reference schemas", () => {
  it("accepts valid objects of the platform's kinds", () => {
    for (const object of [
      deployment("web"),
      service("web"),
      inferencePool("pool"),
      httpRoute("route", "pool"),
      scaledObject("web", "web"),
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "acme", labels: { "inference-portal/tenant": "acme" } } },
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { "requests.nvidia.com/gpu": "4", pods: 20 } } },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { token: "c2VjcmV0" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "system:reader" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] },
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 3 } },
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "hf-token" },
        spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "vault" }, target: { name: "hf-token" }, data: [{ secretKey: "token", remoteRef: { key: "hf/token" } }] },
      },
      {
        apiVersion: "inference.networking.x-k8s.io/v1alpha2",
        kind: "InferenceObjective",
        metadata: { name: "interactive" },
        spec: { priority: 10, poolRef: { name: "pool" } },
      },
      {
        apiVersion: "leaderworkerset.x-k8s.io/v1",
        kind: "LeaderWorkerSet",
        metadata: { name: "big-model" },
        spec: { replicas: 1, leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { containers: [{ name: "vllm", image: "vllm/vllm-openai:v0.26.0" }] } } } },
      },
      {
        apiVersion: "policies.kyverno.io/v1",
        kind: "ValidatingPolicy",
        metadata: { name: "require-tenant-label" },
        spec: {
          matchConstraints: { resourceRules: [{ apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }] },
          validations: [{ expression: "has(object.metadata.labels.tenant)", message: "tenant label required" }],
        },
      },
      tenantApplication("acme", { repoURL: "http://localhost:3001/platform.git", targetRevision: "main" }),
    ]) {
      expectValid(object);
    }
  });

  it("reports missing required CRD fields like kubectl", () => {
    const pool = inferencePool("pool");
    delete (pool.spec as Record<string, unknown>).targetPorts;
    expect(errorsOf(pool)).toEqual(['InferencePool.inference.networking.k8s.io "pool" is invalid: spec.targetPorts: Required value']);
  });

  it("reports type errors in core kinds with the field path", () => {
    expect(errorsOf(deployment("web", { replicas: "two" }))).toEqual([
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
  });

  it("rejects unknown fields (strict field validation)", () => {
    expect(errorsOf(deployment("web", { replica: 2 }))).toEqual(['Deployment.apps "web" is invalid: unknown field "spec.replica"']);
    expect(errorsOf({ ...scaledObject("so", "web"), spec: { ...scaledObject("so", "web").spec, maxReplicas: 3 } })).toEqual([
      'ScaledObject.keda.sh "so" is invalid: unknown field "spec.maxReplicas"',
    ]);
  });

  it("checks enums, bounds and list sizes of CRDs", () => {
    expect(errorsOf(inferencePool("pool", { appProtocol: "grpc" }))).toEqual([
      'InferencePool.inference.networking.k8s.io "pool" is invalid: spec.appProtocol: Unsupported value: "grpc": supported values: "http", "kubernetes.io/h2c"',
    ]);
    const ports = Array.from({ length: 9 }, (_, i) => ({ number: 8000 + i }));
    expect(errorsOf(inferencePool("pool", { targetPorts: ports }))).toEqual([
      'InferencePool.inference.networking.k8s.io "pool" is invalid: spec.targetPorts: Too many: 9: must have at most 8 items',
    ]);
    expect(errorsOf(inferencePool("pool", { targetPorts: [{ number: 0 }] }))).toEqual([
      'InferencePool.inference.networking.k8s.io "pool" is invalid: spec.targetPorts[0].number: Invalid value: 0: spec.targetPorts[0].number in body should be greater than or equal to 1',
    ]);
    const route = httpRoute("route", "pool");
    (route.spec.rules[0]!.matches[0]!.path as { type: string }).type = "Prefix";
    expect(errorsOf(route)[0]).toMatch(/^HTTPRoute\.gateway\.networking\.k8s\.io "route" is invalid: spec\.rules\[0\]\.matches\[0\]\.path\.type: Unsupported value: "Prefix"/);
  });

  it("applies CRD defaults to the object it returns", () => {
    const object = expectValid(inferencePool("pool")) as unknown as { spec: { appProtocol?: string; endpointPickerRef: { kind?: string } } };
    expect(object.spec.appProtocol).toBe("http");
    expect(object.spec.endpointPickerRef.kind).toBe("Service");
  });

  it("accepts int-or-string and quantities as the API server decodes them", () => {
    const svc = service("web");
    svc.spec.ports[0]!.targetPort = 8000 as unknown as string;
    expectValid(svc);
    (svc.spec.ports[0] as { targetPort: unknown }).targetPort = true;
    expect(errorsOf(svc)).toEqual([
      'Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "boolean": spec.ports[0].targetPort in body must be of type integer,string: "boolean"',
    ]);
    const d = deployment("web");
    (d.spec.template.spec.containers[0]!.resources.limits as Record<string, unknown>).memory = "lots";
    expect(errorsOf(d)[0]).toMatch(/spec\.template\.spec\.containers\[0\]\.resources\.limits\[memory\]: Invalid value: "lots": quantities must match/);
  });

  it("rejects duplicate keys of map lists", () => {
    const d = deployment("web");
    d.spec.template.spec.containers.push({ ...d.spec.template.spec.containers[0]! });
    expect(errorsOf(d)).toEqual(['Deployment.apps "web" is invalid: spec.template.spec.containers[1]: Duplicate value: {"name":"vllm"}']);
  });

  it("validates names and labels", () => {
    expect(errorsOf({ apiVersion: "v1", kind: "Namespace", metadata: { name: "Acme_Corp" } })[0]).toMatch(
      /^Namespace "Acme_Corp" is invalid: metadata\.name: Invalid value: "Acme_Corp": a lowercase RFC 1123 label/,
    );
    expect(errorsOf({ ...service("web"), metadata: { name: "1web" } })[0]).toMatch(/metadata\.name: Invalid value: "1web": a DNS-1035 label/);
    expect(errorsOf({ ...deployment("web"), metadata: { name: "web", labels: { tier: "gold plated" } } })[0]).toMatch(
      /metadata\.labels: Invalid value: "gold plated": a valid label must be an empty string/,
    );
    expect(errorsOf({ ...deployment("web"), metadata: { labels: { app: "web" } } })).toEqual([
      'Deployment.apps "" is invalid: metadata.name: Required value: name or generateName is required',
    ]);
  });

  it("checks formats (base64 Secret data)", () => {
    expect(errorsOf({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { token: "not base64!" } })).toEqual([
      'Secret "s" is invalid: data[token]: Invalid value: "not base64!": data[token] in body must be of type byte: "not base64!"',
    ]);
  });

  it("rejects kinds and versions the cluster does not serve", () => {
    expect(errorsOf({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual(['no matches for kind "Widget" in version "example.com/v1"']);
    // Served: false in External Secrets v2.9, removed from GIE in v1.4.
    expect(errorsOf({ apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", metadata: { name: "s" } })).toEqual([
      'no matches for kind "ExternalSecret" in version "external-secrets.io/v1beta1"',
    ]);
    expect(errorsOf({ ...inferencePool("pool"), apiVersion: "inference.networking.x-k8s.io/v1alpha2" })).toEqual([
      'no matches for kind "InferencePool" in version "inference.networking.x-k8s.io/v1alpha2"',
    ]);
    expect(errorsOf({ metadata: { name: "x" } })).toEqual(["error validating data: [apiVersion not set, kind not set]"]);
  });

  it("validates the largest CRDs (KServe InferenceService) within a test's time", () => {
    const isvc = (predictor: unknown) => ({ apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", metadata: { name: "llama" }, spec: { predictor } });
    expectValid(isvc({ model: { modelFormat: { name: "huggingface" }, storageUri: "hf://meta-llama/Llama-3.1-8B-Instruct", resources: { limits: { "nvidia.com/gpu": "1" } } } }));
    expect(errorsOf(isvc({ model: { modelFormat: { name: "huggingface" }, runtimeVersion: 3 } }))).toEqual([
      'InferenceService.serving.kserve.io "llama" is invalid: spec.predictor.model.runtimeVersion: Invalid value: "integer": spec.predictor.model.runtimeVersion in body must be of type string: "integer"',
    ]);
  });

  it("drops status and nulls like the API server, and the namespace of cluster-scoped objects", () => {
    const object = expectValid({ apiVersion: "v1", kind: "Namespace", metadata: { name: "acme", namespace: "ignored", labels: null }, status: { phase: "Active" } });
    expect(object).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "acme" } });
  });
});
