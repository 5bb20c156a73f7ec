import { readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import type { DeploymentRef, RunDashboardInput, Scope } from "@/lib/metrics/types";
import { testDatabases, type TestDb } from "../support/databases";
import { fakeLiteLLM, principalFor, seedTenant, seedUser } from "../support/seed";
import { gatewayKeyHooks } from "@/lib/benchmarks/pages/gateway-key";

/**
 * The benchmarks API as the browser calls it: real policy, real database, real route gate.
 * Only the session and the metrics layer are stand-ins, so the test sees which scope the routes
 * hand to Prometheus and can make the same deployment name exist in two tenants.
 */
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({ getPrincipal: async () => session.principal }));

const metrics = vi.hoisted(() => ({ scopes: [] as Scope[], dashboards: [] as RunDashboardInput[] }));
vi.mock("@/lib/metrics/run-panel", () => ({
  // Every tenant serves a deployment "chat"; the real layer reads only the scope's namespaces.
  listDeployments: async (scope: Scope): Promise<DeploymentRef[]> => {
    metrics.scopes.push(scope);
    return scope.kind === "tenant" ? scope.namespaces.map((ns) => ({ namespace: ns, deployment: "chat", model: "Qwen/Qwen2.5-0.5B-Instruct" })) : [];
  },
  runDashboard: async (input: RunDashboardInput) => {
    metrics.dashboards.push(input);
    return [];
  },
  runPanel: async () => { throw new Error("not used"); },
  runExplore: async () => { throw new Error("not used"); },
}));

const list = await import("@/app/api/benchmarks/route");
const one = await import("@/app/api/benchmarks/[id]/route");
const cancel = await import("@/app/api/benchmarks/[id]/cancel/route");
const signals = await import("@/app/api/benchmarks/[id]/signals/route");
const compare = await import("@/app/api/benchmarks/compare/route");
const importer = await import("@/app/api/benchmarks/import/route");

const REFERENCE_ID = "00000000-0000-4000-8000-00000000b001";
const fixture = (name: string) => readFileSync(path.join(process.cwd(), "lib/benchmarks/__fixtures__", name), "utf8");
type Holders = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }> };
const holders = globalThis as typeof globalThis & Holders;

type Who = "developer A" | "tenant-admin A" | "tenant-admin B" | "platform-admin" | "finance" | "signed out";
type Body = Record<string, unknown> & { id?: string; error?: { code: string; message: string; fields?: Record<string, string[]> } };

let people: Record<Exclude<Who, "signed out">, Principal>;
let A: string;
let B: string;

async function call(who: Who, method: "GET" | "POST", url: string, body?: unknown, params: Record<string, string> = {}) {
  session.principal = who === "signed out" ? null : people[who];
  const init = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const req = new NextRequest(`http://portal.test${url}`, init);
  const p = { params: Promise.resolve(params) };
  const pathname = new URL(req.url).pathname;
  const handler =
    pathname === "/api/benchmarks" ? (method === "GET" ? list.GET : list.POST)
    : pathname === "/api/benchmarks/compare" ? compare.GET
    : pathname === "/api/benchmarks/import" ? importer.POST
    : pathname.endsWith("/cancel") ? cancel.POST
    : pathname.endsWith("/signals") ? signals.GET
    : one.GET;
  const response = await (handler as (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(req, p as never);
  return { status: response.status, body: (await response.json()) as Body };
}

const sweep = (tenant: string, overrides: Record<string, unknown> = {}) => ({
  target: { kind: "deployment", namespace: tenant, name: "chat" },
  sweep: { kind: "concurrency", levels: [1, 2, 4] },
  step: { durationS: 5 },
  ...overrides,
});

describe.each(testDatabases())("benchmarks routes ($name)", (target) => {
  let t: TestDb;
  const runCount = () => t.db.benchmarkRun.count();

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    holders.__portalDb = Promise.resolve({ db: t.db, close: async () => undefined });
    A = (await seedTenant(t.db)).id;
    B = (await seedTenant(t.db)).id;
    const user = await seedUser(t.db);
    people = {
      "developer A": principalFor(user, { tenants: { [A]: "developer" } }),
      "tenant-admin A": principalFor(user, { tenants: { [A]: "tenant-admin" } }),
      "tenant-admin B": principalFor(user, { tenants: { [B]: "tenant-admin" } }),
      "platform-admin": principalFor(user, { platform: ["platform-admin"] }),
      finance: principalFor(user, { platform: ["finance"] }),
    };
  });
  afterAll(async () => {
    holders.__portalDb = undefined;
    session.principal = null;
    await t?.close();
  });
  beforeEach(() => {
    metrics.scopes.length = 0;
    metrics.dashboards.length = 0;
  });

  it("a tenant admin queues a gateway run on their deployment (the gateway's model name, not vLLM's), audited, scoped to their tenant", async () => {
    const res = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    expect(res.status).toBe(201);
    const row = await t.db.benchmarkRun.findUniqueOrThrow({ where: { id: res.body.id! } });
    expect(row).toMatchObject({ status: "queued", source: "portal", tenantId: A, deploymentNs: A, deploymentName: "chat", endpointKind: "gateway", model: "qwen2.5-0.5b-instruct" });
    expect(row.config).toMatchObject({ runner: { sweep: { kind: "concurrency", levels: [1, 2, 4] }, step: { durationMs: 5000 } }, limits: { maxConcurrency: 32, maxDurationMs: 300_000 } });
    // No SLO given: the dashboards' defaults, so goodput is measured and runs stay comparable.
    expect(row.config).toMatchObject({ runner: { slo: { ttftMs: 500, itlMs: 50 } } });
    expect(metrics.scopes).toEqual([{ kind: "tenant", tenant: A, namespaces: [A] }]);
    expect(await t.db.auditEvent.count({ where: { action: "benchmark.create", targetId: row.id, outcome: "success" } })).toBe(1);
  });

  it("another tenant's deployment is the same 404 as one that does not exist, and nothing is stored", async () => {
    const before = await runCount();
    const across = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(B));
    const unknown = await call("tenant-admin A", "POST", "/api/benchmarks", { ...sweep(A), target: { kind: "deployment", namespace: A, name: "nope" } });
    const unknownTenant = await call("tenant-admin A", "POST", "/api/benchmarks", sweep("no-such-tenant"));
    for (const res of [across, unknown, unknownTenant]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "not_found", message: "Not found" });
    }
    // The deployment lookup never ran in B's namespace: the tenant is refused first.
    expect(metrics.scopes.some((s) => s.kind === "tenant" && s.tenant === B)).toBe(false);
    expect(await runCount()).toBe(before);
  });

  it("refuses by role: developers 403, finance 403, signed out 401, direct URLs only for platform admins", async () => {
    expect((await call("developer A", "POST", "/api/benchmarks", sweep(A))).status).toBe(403);
    expect((await call("finance", "POST", "/api/benchmarks", sweep(A))).status).toBe(403);
    expect((await call("signed out", "POST", "/api/benchmarks", sweep(A))).status).toBe(401);
    const direct = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { endpoint: "direct", directUrl: "http://169.254.169.254/" }));
    expect(direct.status).toBe(403);
    const url = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { target: { kind: "url", baseUrl: "http://internal.example/", model: "m" } }));
    expect(url.status).toBe(403);
    const admin = await call("platform-admin", "POST", "/api/benchmarks", sweep(A, { target: { kind: "url", baseUrl: "http://vllm.example:8000/", model: "m" } }));
    expect(admin.status).toBe(201);
    expect(await t.db.benchmarkRun.findUniqueOrThrow({ where: { id: admin.body.id! } })).toMatchObject({ tenantId: null, endpointKind: "direct" });
  });

  it("limits per role are field errors: a tenant admin may not go past 32 concurrent or 5 minutes; a platform admin may", async () => {
    const before = await runCount();
    const tooWide = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { sweep: { kind: "concurrency", levels: [1, 64, 8] } }));
    expect(tooWide.status).toBe(422);
    expect(Object.keys(tooWide.body.error!.fields!)).toEqual(["sweep.levels.1"]);
    const tooLong = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { step: { durationS: 60 }, warmupS: 10, sweep: { kind: "concurrency", levels: [1, 2, 4, 8, 16] } }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error!.fields!["step.durationS"]![0]).toMatch(/350 s exceeds your limit of 300 s/);
    const tooFast = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { sweep: { kind: "rate", levels: [10, 80] } }));
    expect(Object.keys(tooFast.body.error!.fields!)).toEqual(["sweep.levels.1"]);
    expect(await runCount()).toBe(before);
    const hostile = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A, { sweep: { kind: "concurrency", levels: [-1, 1.5] }, extra: "x" }));
    expect(hostile.status).toBe(422);
    const platform = await call("platform-admin", "POST", "/api/benchmarks", sweep(A, { sweep: { kind: "concurrency", levels: [64, 256] }, step: { durationS: 60 } }));
    expect(platform.status).toBe(201);
    expect((await call("platform-admin", "POST", "/api/benchmarks", sweep(A, { sweep: { kind: "concurrency", levels: [512] } }))).status).toBe(422);
  });

  it("reads are scoped: another tenant's run is a 404 like an unknown id; finance sees nothing, not even the reference", async () => {
    const { body } = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    const id = body.id!;
    const mine = await call("developer A", "GET", `/api/benchmarks/${id}`, undefined, { id });
    expect(mine.status).toBe(200);
    // The endpoint URL and the limits stay on the server.
    expect(JSON.stringify(mine.body)).not.toContain("baseUrl");
    expect(JSON.stringify(mine.body)).not.toContain("maxDurationMs");
    const across = await call("tenant-admin B", "GET", `/api/benchmarks/${id}`, undefined, { id });
    const unknown = await call("tenant-admin B", "GET", `/api/benchmarks/${REFERENCE_ID.replace("b001", "b999")}`, undefined, { id: REFERENCE_ID.replace("b001", "b999") });
    const strip = (r: typeof across) => ({ status: r.status, code: r.body.error?.code, message: r.body.error?.message });
    expect(strip(across)).toEqual(strip(unknown));
    expect(across.status).toBe(404);
    const listB = await call("tenant-admin B", "GET", "/api/benchmarks");
    const idsB = (listB.body.runs as { id: string }[]).map((r) => r.id);
    expect(idsB).toContain(REFERENCE_ID);
    expect(idsB).not.toContain(id);
    const listFinance = await call("finance", "GET", "/api/benchmarks");
    expect(listFinance.body.runs).toEqual([]);
    const filtered = await call("platform-admin", "GET", `/api/benchmarks?tenantId=${A}&status=queued`);
    expect((filtered.body.runs as { tenantId: string }[]).every((r) => r.tenantId === A)).toBe(true);
    expect((await call("platform-admin", "GET", "/api/benchmarks?status=bogus")).status).toBe(422);
  });

  it("cancel: a developer may not (403), another tenant's admin cannot see it (404), the tenant admin cancels (audited)", async () => {
    const { body } = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    const id = body.id!;
    expect((await call("developer A", "POST", `/api/benchmarks/${id}/cancel`, undefined, { id })).status).toBe(403);
    expect((await call("tenant-admin B", "POST", `/api/benchmarks/${id}/cancel`, undefined, { id })).status).toBe(404);
    expect((await t.db.benchmarkRun.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
    expect((await call("tenant-admin A", "POST", `/api/benchmarks/${id}/cancel`, undefined, { id })).status).toBe(200);
    expect(await t.db.benchmarkRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled", cancelRequested: true });
    expect(await t.db.auditEvent.count({ where: { action: "benchmark.cancel", targetId: id } })).toBe(1);
  });

  it("import: a malformed file is a 422 with a field and stores nothing; a valid one is stored in the tenant; across tenants 404", async () => {
    const before = await runCount();
    const bad = await call("tenant-admin A", "POST", "/api/benchmarks/import", { format: "vllm", text: JSON.stringify({ date: "x", ttft: "slow" }), tenantId: A });
    expect(bad.status).toBe(422);
    expect(bad.body.error!.fields!.text![0]).toMatch(/vllm bench serve/);
    const notJson = await call("tenant-admin A", "POST", "/api/benchmarks/import", { format: "guidellm", text: "{not json", tenantId: A });
    expect(notJson.status).toBe(422);
    const badFormat = await call("tenant-admin A", "POST", "/api/benchmarks/import", { format: "aiperf", text: "{}", tenantId: A });
    expect(Object.keys(badFormat.body.error!.fields!)).toEqual(["format"]);
    expect(await runCount()).toBe(before);
    expect(await t.db.auditEvent.count({ where: { action: "benchmark.import", outcome: "denied", tenantId: A } })).toBeGreaterThanOrEqual(2);
    const across = await call("tenant-admin A", "POST", "/api/benchmarks/import", { format: "vllm", text: fixture("vllm-bench-serve.handmade.json"), tenantId: B });
    expect(across.status).toBe(404);
    expect((await call("developer A", "POST", "/api/benchmarks/import", { format: "vllm", text: fixture("vllm-bench-serve.handmade.json"), tenantId: A })).status).toBe(403);
    expect(await runCount()).toBe(before);
    const ok = await call("tenant-admin A", "POST", "/api/benchmarks/import", { format: "vllm", text: fixture("vllm-bench-serve.handmade.json"), tenantId: A, gpuType: "L4", gpuCount: "1" });
    expect(ok.status).toBe(201);
    expect(await t.db.benchmarkRun.findUniqueOrThrow({ where: { id: ok.body.id! } })).toMatchObject({ tenantId: A, source: "import:vllm", status: "succeeded", gpuType: "L4", gpuCount: 1 });
    expect(await t.db.auditEvent.count({ where: { action: "benchmark.import", outcome: "success", targetId: ok.body.id! } })).toBe(1);
  });

  it("import accepts a multipart form (the page's upload)", async () => {
    session.principal = people["platform-admin"];
    const form = new FormData();
    form.set("format", "guidellm");
    form.set("file", new Blob([fixture("guidellm-report.handmade.json")], { type: "application/json" }), "report.json");
    const response = await importer.POST(new NextRequest("http://portal.test/api/benchmarks/import", { method: "POST", body: form }), { params: Promise.resolve({}) } as never);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await t.db.benchmarkRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ tenantId: null, source: "import:guidellm" });
  });

  it("compare: 2–4 visible runs; one invisible run makes it a 404", async () => {
    const { body } = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    const ok = await call("developer A", "GET", `/api/benchmarks/compare?ids=${body.id},${REFERENCE_ID}`);
    expect(ok.status).toBe(200);
    expect((ok.body.series as { runId: string }[]).map((s) => s.runId)).toEqual([body.id, REFERENCE_ID]);
    expect((await call("tenant-admin B", "GET", `/api/benchmarks/compare?ids=${body.id},${REFERENCE_ID}`)).status).toBe(404);
    expect((await call("developer A", "GET", `/api/benchmarks/compare?ids=${REFERENCE_ID}`)).status).toBe(422);
    expect((await call("developer A", "GET", `/api/benchmarks/compare?ids=${REFERENCE_ID},x'--`)).status).toBe(422);
  });

  it("signals query Prometheus in the run's tenant scope over the run's window; across tenants 404", async () => {
    const { body } = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    const id = body.id!;
    const started = new Date(Date.now() - 60_000);
    await t.db.benchmarkRun.update({ where: { id }, data: { status: "succeeded", startedAt: started, finishedAt: new Date(started.getTime() + 20_000) } });
    const res = await call("developer A", "GET", `/api/benchmarks/${id}/signals`, undefined, { id });
    expect(res.status).toBe(200);
    expect(metrics.dashboards).toHaveLength(1);
    expect(metrics.dashboards[0]).toMatchObject({ dashboard: "model", scope: { kind: "tenant", tenant: A, namespaces: [A] }, params: { namespace: A, deployment: "chat" } });
    expect(metrics.dashboards[0]!.range).toEqual({ start: Math.floor(started.getTime() / 1000) - 30, end: Math.ceil((started.getTime() + 20_000) / 1000) + 30 });
    expect((await call("tenant-admin B", "GET", `/api/benchmarks/${id}/signals`, undefined, { id })).status).toBe(404);
    expect(metrics.dashboards).toHaveLength(1);
  });

  it("a gateway run's key: minted for the run's tenant team and model only, short-lived, deleted once the run ends; direct runs get none", async () => {
    const { body } = await call("tenant-admin A", "POST", "/api/benchmarks", sweep(A));
    const id = body.id!;
    const litellm = fakeLiteLLM();
    const hooks = gatewayKeyHooks(async () => t.db, litellm.client, 20);
    const secret = await hooks.apiKey(id);
    expect(secret).toMatch(/^sk-/);
    const [generated] = litellm.called("generateKey");
    expect(generated!.args[0]).toMatchObject({ key: secret, team_id: A, models: ["qwen2.5-0.5b-instruct"], duration: "10m", key_alias: `benchmark-${id}` });
    // The secret is not stored with the run.
    expect(JSON.stringify(await t.db.benchmarkRun.findUniqueOrThrow({ where: { id } }))).not.toContain(secret!);
    await new Promise((r) => setTimeout(r, 100));
    expect(litellm.called("deleteKeys")).toHaveLength(0);
    await t.db.benchmarkRun.update({ where: { id }, data: { status: "succeeded" } });
    await expect.poll(() => litellm.called("deleteKeys").length, { timeout: 2000 }).toBe(1);
    expect(litellm.called("deleteKeys")[0]!.args[0]).toEqual([secret]);
    const direct = await call("platform-admin", "POST", "/api/benchmarks", sweep(A, { target: { kind: "url", baseUrl: "http://vllm.example:8000/", model: "m" } }));
    expect(await hooks.apiKey(direct.body.id!)).toBeUndefined();
    expect(litellm.called("generateKey")).toHaveLength(1);
  });
});
