import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterStore } from "../cluster/store";
import { closeServer, listen } from "../http/listen";
import { startFleet } from "./fleet";
import { createGateway, TENANT_HEADER } from "./gateway";
import { applyModel, eventually, INFERENCE_POOL } from "./test-fixtures";
import type { Fleet } from "./types";

const MODEL = "Qwen/Qwen2.5-0.5B-Instruct";
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(opts: { modelLoadMs?: number; maxQueueWaitMs?: number } = {}) {
  const store = new ClusterStore();
  const fleet: Fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs: opts.modelLoadMs ?? 100, drainGraceMs: 1_000 });
  cleanup.push(() => fleet.close());
  const fallbackCalls: string[] = [];
  const fallback: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      fallbackCalls.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ from: "fallback" }));
    });
  });
  const fallbackUrl = `http://127.0.0.1:${await listen(fallback, 0, "127.0.0.1")}`;
  cleanup.push(() => closeServer(fallback));
  const gateway = createGateway({ fleet, fallbackUrl, maxQueueWaitMs: opts.maxQueueWaitMs });
  const url = `http://127.0.0.1:${await listen(gateway, 0, "127.0.0.1")}`;
  cleanup.push(() => closeServer(gateway));
  return { store, fleet, url, fallbackCalls };
}

const chat = (url: string, body: Record<string, unknown>, tenant?: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(tenant ? { [TENANT_HEADER]: tenant } : {}) },
    body: JSON.stringify({ messages: [{ role: "user", content: "Hello there" }], max_tokens: 4, ...body }),
  });

const podsOf = (fleet: Fleet, namespace: string) => fleet.replicas().filter((w) => w.namespace === namespace).flatMap((w) => w.pods.map((p) => p.name));

describe("inference gateway (endpoint picker)", () => {
  it("sends a model nobody deployed to the shared simulator", async () => {
    const { url, fallbackCalls } = await setup();
    const res = await chat(url, { model: MODEL });
    expect(await res.json()).toEqual({ from: "fallback" });
    expect(JSON.parse(fallbackCalls[0]!)).toMatchObject({ model: MODEL, max_tokens: 4 });
  });

  it("routes to the caller tenant's replica, and to another tenant's only when it has none", async () => {
    const { store, fleet, url, fallbackCalls } = await setup();
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    applyModel(store, { tenant: "beta", name: "chat" }, 1);
    await eventually(() => fleet.replicas().length === 2 && fleet.replicas().every((w) => w.ready === 1), "both ready");
    for (const tenant of ["acme", "beta"]) {
      const res = await chat(url, { model: MODEL }, tenant);
      expect(res.status).toBe(200);
      const [namespace, pod] = res.headers.get("x-gateway-destination-endpoint")!.split("/");
      expect(namespace).toBe(tenant);
      expect(podsOf(fleet, tenant)).toContain(pod);
      const body = (await res.json()) as { model: string; usage: { completion_tokens: number } };
      expect(body.model).toBe(MODEL);
    }
    // A tenant without a deployment still reaches a ready replica of the model; a hostile header is ignored.
    expect((await chat(url, { model: MODEL }, "gamma")).status).toBe(200);
    expect((await chat(url, { model: MODEL }, "../acme")).status).toBe(200);
    expect(fallbackCalls).toHaveLength(0);
  });

  it("spreads concurrent requests over replicas by least queue and running batch", async () => {
    const { store, fleet, url } = await setup();
    applyModel(store, { tenant: "acme", name: "chat" }, 2);
    await eventually(() => fleet.replicas()[0]?.ready === 2, "two ready");
    const responses = await Promise.all(Array.from({ length: 8 }, () => chat(url, { model: MODEL, max_tokens: 32 }, "acme")));
    const destinations = responses.map((r) => r.headers.get("x-gateway-destination-endpoint"));
    await Promise.all(responses.map((r) => r.text()));
    const counts = [...new Set(destinations)].map((d) => destinations.filter((x) => x === d).length);
    expect(counts).toHaveLength(2);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
  });

  it("passes SSE streams through", async () => {
    const { store, fleet, url } = await setup();
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    await eventually(() => fleet.replicas()[0]?.ready === 1, "ready");
    const res = await chat(url, { model: MODEL, stream: true, max_tokens: 5 }, "acme");
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(events.length).toBeGreaterThanOrEqual(6);
  });

  it("holds requests in flow control while the model loads, counting them in the EPP queue gauge", async () => {
    const { store, fleet, url } = await setup({ modelLoadMs: 1_500 });
    store.apply(
      { apiVersion: "inference.networking.k8s.io/v1", kind: "InferencePool", metadata: { name: "chat", namespace: "acme" }, spec: { selector: { matchLabels: { a: "b" } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: "chat-epp", port: { number: 9002 } } } },
      INFERENCE_POOL,
    );
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    await eventually(() => fleet.replicas()[0]?.pods.length === 1, "pod created");
    const started = Date.now();
    const pending = chat(url, { model: MODEL }, "acme");
    const epp = fleet.targets().find((t) => t.job === "epp" && t.labels.__meta_kubernetes_namespace === "acme")!;
    const scrape = async () => (await fetch(`http://${epp.address}${epp.metricsPath}`)).text();
    const held = await (async () => {
      for (let i = 0; i < 50; i++) {
        const text = await scrape();
        if (/inference_extension_flow_control_queue_size\{[^}]*inference_pool="chat"[^}]*\} 1/.test(text)) return text;
        await new Promise((r) => setTimeout(r, 20));
      }
      return scrape();
    })();
    expect(held).toMatch(/inference_extension_flow_control_queue_size\{fairness_id="acme",priority="0",inference_pool="chat",model_name="Qwen\/Qwen2.5-0.5B-Instruct",target_model_name="Qwen\/Qwen2.5-0.5B-Instruct"\} 1/);
    expect(held).toContain('inference_pool_ready_pods{name="chat"} 0');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await scrape()).toMatch(/inference_extension_flow_control_queue_size\{[^}]*\} 0/);
  });

  it("answers 503 with a clear message when no replica becomes ready in time (scaled to zero)", async () => {
    const { store, fleet, url } = await setup({ maxQueueWaitMs: 300 });
    applyModel(store, { tenant: "acme", name: "chat" }, 0);
    await eventually(() => fleet.replicas().length === 1, "workload known");
    const res = await chat(url, { model: MODEL }, "acme");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/No ready replica of Qwen\/Qwen2.5-0.5B-Instruct in acme\/chat after 0 s/);

    // Scaling from zero while a request waits serves it (a 100 ms load fits in the 300 ms wait).
    const waiting = chat(url, { model: MODEL }, "acme");
    fleet.setDesiredReplicas({ namespace: "acme", name: "chat" }, 1);
    expect((await waiting).status).toBe(200);
  });

  it("rejects bodies without a model", async () => {
    const { url } = await setup();
    const res = await fetch(`${url}/v1/chat/completions`, { method: "POST", body: "not json" });
    expect(res.status).toBe(400);
    expect((await chat(url, { model: 42 })).status).toBe(400);
  });
});

describe("endpoint picker metrics", () => {
  it("pass promtool check metrics", async () => {
    const { promtoolCheckMetrics } = await import("./promtool");
    const { store, fleet, url } = await setup({ maxQueueWaitMs: 200 });
    applyModel(store, { tenant: "acme", name: "chat" }, 0);
    await eventually(() => fleet.replicas().length === 1, "workload known");
    await chat(url, { model: MODEL }, "acme");
    const epp = fleet.targets().find((t) => t.job === "epp")!;
    const text = await (await fetch(`http://${epp.address}${epp.metricsPath}`)).text();
    expect(text).toContain("inference_extension_flow_control_queue_size{");
    const check = promtoolCheckMetrics(text);
    expect(check.parseError, check.output).toBe(false);
    expect(check.findings).toEqual([]);
  });
});
