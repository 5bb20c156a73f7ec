import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationError } from "@/lib/integrations/http";
import { createOpenCostClient } from "@/lib/integrations/opencost/client";
import { microsToCents } from "@/lib/integrations/opencost/money";
import { ClusterStore } from "@/sandbox/cluster/store";
import { NODE_KIND, POD_KIND } from "@/sandbox/fleet/kinds";
import { buildNodes, nodeObject } from "@/sandbox/fleet/nodes";
import { startOpenCost, type OpenCostStandIn } from "@/sandbox/opencost/opencost-server";
import { JANUARY_2026, loadScenario, SCENARIO_TENANTS } from "@/sandbox/opencost/scenario";

const REF = "/work/shared/reference/apis";
const NOW = Date.parse("2026-03-15T12:00:00Z");
const JAN = { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-02-01T00:00:00Z") };

let oc: OpenCostStandIn;
beforeAll(async () => {
  oc = await startOpenCost({ host: "127.0.0.1", port: 0, now: () => NOW });
  loadScenario(oc.history, { month: "2026-01" });
});
afterAll(() => oc.close());

const get = (qs: string) => fetch(`${oc.url}/allocation/compute?${qs}`);

describe("HTTP contract of /allocation/compute", () => {
  it("has the reference example's envelope and allocation field names", async () => {
    const example = JSON.parse(readFileSync(`${REF}/opencost-allocation-compute.response.example.json`, "utf8")) as { data: Array<Record<string, Record<string, unknown>>> };
    const res = await get("window=2026-01-01T00:00:00Z,2026-02-01T00:00:00Z&aggregate=namespace&includeIdle=true");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { code: number; status: string; data: Array<Record<string, Record<string, unknown>>> };
    expect(Object.keys(body).sort()).toEqual(Object.keys(example).sort());
    const referenceFields = Object.keys(Object.values(example.data[0]!)[0]!).sort();
    for (const alloc of Object.values(body.data[0]!)) expect(Object.keys(alloc).sort()).toEqual(referenceFields);
    // properties shared by all of acme's pods survive aggregation; per-pod ones do not
    expect(body.data[0]!.acme!.properties).toEqual({ cluster: "sandbox", namespace: "acme", controllerKind: "deployment" });
  });

  it("validates against the OpenAPI 200 schema", async () => {
    const spec = JSON.parse(readFileSync(`${REF}/opencost-openapi.json`, "utf8")) as { components: { schemas: Record<string, { properties: { data: { items: { properties: Record<string, unknown> } } } }> } };
    const schema = structuredClone(spec.components.schemas.inline_response_200!);
    // The swagger spells the set as fixed keys of its example; a set is a map of allocations.
    const allocation = schema.properties.data.items.properties.opencost as object;
    (schema.properties.data.items as Record<string, unknown>) = { type: "object", additionalProperties: { ...allocation, required: Object.keys((allocation as { properties: object }).properties) } };
    const validate = new Ajv({ strict: false }).compile(schema);
    const body: unknown = await (await get("window=2026-01-01T00:00:00Z,2026-01-03T00:00:00Z&aggregate=pod&step=1d&includeIdle=true&idleByNode=true")).json();
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["window=yesterweek&aggregate=namespace", "Invalid 'window' parameter: illegal window: yesterweek"],
    ["aggregate=namespace", "Invalid 'window' parameter"],
    ["window=7d&aggregate=annotation:x", "Invalid 'aggregate' parameter"],
    ["window=7d&step=-1d", "Invalid 'step' parameter"],
  ])("answers %s with a plain-text 400", async (qs, message) => {
    const res = await get(qs);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toContain(message);
  });

  it("404s other paths", async () => {
    expect((await fetch(`${oc.url}/allocation/nope`)).status).toBe(404);
    expect((await fetch(`${oc.url}/healthz`)).status).toBe(200);
  });
});

describe("the portal's client against the stand-in", () => {
  const client = () => createOpenCostClient({ baseUrl: oc.url, timeoutMs: 5000 });

  it("returns the scenario's figures in micro-dollars, exact to the cent", async () => {
    const [set] = await client().allocation({ window: JAN, aggregate: "namespace", includeIdle: true });
    expect(set!.window).toEqual(JAN);
    for (const t of SCENARIO_TENANTS) {
      const a = set!.allocations[t]!;
      expect(microsToCents(a.gpuCostMicros)).toBe(JANUARY_2026.tenants[t].gpuCents);
      expect(microsToCents(a.totalCostMicros)).toBe(JANUARY_2026.tenants[t].totalCents);
      expect(a.gpuHours).toBe(JANUARY_2026.tenants[t].gpuHours);
      expect(a.isIdle).toBe(false);
    }
    expect(set!.allocations.__idle__!.isIdle).toBe(true);
    const total = Object.values(set!.allocations).reduce((s, a) => s + a.totalCostMicros, 0);
    expect(microsToCents(total)).toBe(JANUARY_2026.cluster.totalCents);
  });

  it("shareIdle sums reconcile to the cluster total in micro-dollars", async () => {
    const [set] = await client().allocation({ window: JAN, aggregate: ["namespace"], shareIdle: true, idleByNode: true });
    const total = Object.values(set!.allocations).reduce((s, a) => s + a.totalCostMicros, 0);
    expect(Math.abs(total - JANUARY_2026.cluster.totalCents * 10_000)).toBeLessThanOrEqual(Object.keys(set!.allocations).length);
  });

  it("daily steps come back in order, with filter", async () => {
    const sets = await client().allocation({ window: JAN, aggregate: "namespace", step: "1d", filter: 'namespace:"initech"' });
    expect(sets).toHaveLength(31);
    expect(sets[14]).toEqual({ window: null, allocations: {} });
    expect(sets[15]!.window!.start.toISOString()).toBe("2026-01-16T00:00:00.000Z");
    expect(sets.reduce((s, set) => s + (set.allocations.initech?.gpuHours ?? 0), 0)).toBe(768);
  });

  it("turns a 400 into a non-ambiguous IntegrationError carrying OpenCost's message", async () => {
    const err = await client().allocation({ window: "fortnight", aggregate: "namespace" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect((err as IntegrationError).status).toBe(400);
    expect((err as IntegrationError).ambiguous).toBe(false);
    expect((err as IntegrationError).message).toContain("illegal window: fortnight");
  });

  it("refuses windows it cannot express exactly", async () => {
    await expect(client().allocation({ window: { start: new Date(1500), end: new Date(90_000) }, aggregate: "namespace" })).rejects.toThrow("whole seconds");
    await expect(client().allocation({ window: { start: JAN.end, end: JAN.start }, aggregate: "namespace" })).rejects.toThrow("after its start");
  });
});

describe("the client against a misbehaving OpenCost", () => {
  let server: Server;
  let url: string;
  let reply: (res: import("node:http").ServerResponse) => void = () => {};
  beforeAll(async () => {
    server = createServer((_req, res) => reply(res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  const json = (body: unknown) => (res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  const call = () => createOpenCostClient({ baseUrl: url, timeoutMs: 300 }).allocation({ window: "7d", aggregate: "namespace" });
  const alloc = { name: "acme", window: { start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" }, start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z", minutes: 1440, cpuCores: 1, cpuCoreHours: 24, cpuCost: 0.48, gpuCount: 1, gpuHours: 24, gpuCost: 19.2, ramBytes: 1, ramByteHours: 24, ramCost: 0.01, pvCost: 0, totalCost: 19.69 };

  it.each([
    ["not JSON", (res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "text/html" }).end("<html>proxy login</html>")],
    ["no data", json({ code: 200 })],
    ["a cost as a string", json({ code: 200, data: [{ acme: { ...alloc, gpuCost: "19.2" } }] })],
    ["a bad time", json({ code: 200, data: [{ acme: { ...alloc, start: "yesterday" } }] })],
    ["a missing GPU field", json({ code: 200, data: [{ acme: { ...alloc, gpuHours: undefined } }] })],
  ])("rejects a response with %s", async (_name, handler) => {
    reply = handler;
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect((err as IntegrationError).message).toMatch(/unexpected response/);
  });

  it("parses a valid set, folding adjustments into costs", async () => {
    reply = json({ code: 200, status: "success", data: [{ acme: { ...alloc, gpuCostAdjustment: -0.2, extraFieldFromNewerOpenCost: 1 } }, null] });
    const sets = await call();
    expect(sets[0]!.allocations.acme!.gpuCostMicros).toBe(19_000_000);
    expect(sets[0]!.allocations.acme!.totalCostMicros).toBe(19_490_000);
    expect(sets[1]).toEqual({ window: null, allocations: {} });
  });

  it("gives up after the timeout (retried, then ambiguous)", async () => {
    reply = () => {}; // never answers
    const started = Date.now();
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect((err as IntegrationError).status).toBeUndefined();
    expect((err as IntegrationError).message).toContain("did not answer within 300 ms");
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("history recorded from the cluster store", () => {
  it("turns Running pods and GPU nodes into allocations, with the store's clock", async () => {
    let now = Date.parse("2026-06-01T00:00:00Z");
    const store = new ClusterStore();
    const sb = await startOpenCost({ store, host: "127.0.0.1", port: 0, now: () => now });
    try {
      const [node] = buildNodes([{ name: "gpu-l4-0", gpuType: "L4" }]);
      // as the fleet writes it: apply (which drops status), then the status subresource
      store.apply(nodeObject(node!), NODE_KIND);
      store.updateStatus({ kind: NODE_KIND, name: "gpu-l4-0" }, nodeObject(node!).status);
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "qwen-abc", namespace: "acme", labels: { app: "qwen", "pod-template-hash": "abc" }, ownerReferences: [{ kind: "ReplicaSet", name: "qwen-abc", controller: true }] },
        spec: { nodeName: "gpu-l4-0", containers: [{ name: "vllm", resources: { requests: { "nvidia.com/gpu": "2", cpu: "8", memory: "32Gi" } } }] },
      };
      store.apply(pod, POD_KIND);
      now += 1 * 3_600_000; // Pending for an hour: not billed
      store.updateStatus({ kind: POD_KIND, namespace: "acme", name: "qwen-abc" }, { phase: "Running" });
      now += 3 * 3_600_000;
      store.delete({ kind: POD_KIND, namespace: "acme", name: "qwen-abc" });
      now += 1 * 3_600_000;
      const res = await fetch(`${sb.url}/allocation/compute?window=2026-06-01T00:00:00Z,2026-06-02T00:00:00Z&aggregate=namespace,controller&includeIdle=true`);
      const body = (await res.json()) as { data: Array<Record<string, Record<string, unknown>>> };
      const a = body.data[0]!["acme/qwen"]!;
      expect(a.gpuHours).toBe(6);
      expect(a.cpuCoreHours).toBe(24);
      expect(a.gpuCost).toBe(4.8);
      expect(a.properties).toMatchObject({ controller: "qwen", controllerKind: "deployment" });
      expect(body.data[0]!.__idle__!.gpuHours).toBe(8 * 5 - 6);
      expect(sb.history.nodeIntervals()).toHaveLength(1);
    } finally {
      await sb.close();
    }
  });
});
