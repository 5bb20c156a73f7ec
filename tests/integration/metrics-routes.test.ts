import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { PrometheusError } from "@/lib/integrations/prometheus/errors";
import type { DeploymentRef, PanelResult, RunDashboardInput, Scope } from "@/lib/metrics/types";
import { testDatabases, type TestDb } from "../support/databases";
import { principalFor, seedTenant, seedUser } from "../support/seed";

/**
 * The dashboards API as the browser calls it, with real policy, real database and the real
 * route gate; only the session (who is signed in) and the Prometheus runner are stand-ins, so
 * the test can see exactly which scope the routes hand to the metrics layer.
 */

const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({ getPrincipal: async () => session.principal }));

const metrics = vi.hoisted(() => ({
  dashboardCalls: [] as RunDashboardInput[],
  deploymentScopes: [] as Scope[],
  dashboardAnswer: null as ((input: RunDashboardInput) => PanelResult[]) | null,
  exploreAnswer: null as (() => Promise<unknown>) | null,
  deployments: [] as DeploymentRef[],
}));
vi.mock("@/lib/metrics/run-panel", () => ({
  runDashboard: async (input: RunDashboardInput) => {
    metrics.dashboardCalls.push(input);
    return metrics.dashboardAnswer ? metrics.dashboardAnswer(input) : [];
  },
  runExplore: async () => (metrics.exploreAnswer ? metrics.exploreAnswer() : { panelId: "explore", unit: "count", step: 15, series: [], warnings: [] }),
  listDeployments: async (scope: Scope) => {
    metrics.deploymentScopes.push(scope);
    return metrics.deployments;
  },
  runPanel: async () => {
    throw new Error("not used");
  },
}));

const { GET: dashboardGET } = await import("@/app/api/metrics/dashboards/[dashboard]/route");
const { GET: exploreGET } = await import("@/app/api/metrics/explore/route");
const { GET: deploymentsGET } = await import("@/app/api/metrics/deployments/route");

type Holders = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }> };
const holders = globalThis as typeof globalThis & Holders;

type Who = "developer A" | "tenant-admin A" | "developer B" | "platform-admin" | "finance" | "no role" | "signed out";

async function call(who: Who, path: string) {
  session.principal = who === "signed out" ? null : people[who];
  const req = new NextRequest(`http://portal.test${path}`);
  const match = /^\/api\/metrics\/dashboards\/([^/?]+)/.exec(path);
  const response = match
    ? await dashboardGET(req, { params: Promise.resolve({ dashboard: decodeURIComponent(match[1]!) }) })
    : path.startsWith("/api/metrics/explore")
      ? await exploreGET(req, { params: Promise.resolve({}) })
      : await deploymentsGET(req, { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string[]> } } };
}

let people: Record<Exclude<Who, "signed out">, Principal>;
let A: string;
let B: string;

describe.each(testDatabases())("metrics routes ($name)", (target) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
    expect(holders.__portalDb).toBeUndefined();
    holders.__portalDb = Promise.resolve({ db: t.db, close: async () => undefined });
    A = (await seedTenant(t.db)).id;
    B = (await seedTenant(t.db)).id;
    const user = await seedUser(t.db);
    people = {
      "developer A": principalFor(user, { tenants: { [A]: "developer" } }),
      "tenant-admin A": principalFor(user, { tenants: { [A]: "tenant-admin" } }),
      "developer B": principalFor(user, { tenants: { [B]: "developer" } }),
      "platform-admin": principalFor(user, { platform: ["platform-admin"] }),
      finance: principalFor(user, { platform: ["finance"] }),
      "no role": principalFor(user),
    };
    // The same deployment name in both tenants, each shipped by a request that went live.
    for (const tenant of [A, B]) {
      const request = await t.db.changeRequest.create({
        data: {
          tenantId: tenant,
          kind: "model-deployment",
          status: "live",
          title: `Deploy chat in ${tenant}`,
          requesterId: user.id,
          requesterEmail: user.email,
          payload: { kind: "model-deployment", tenant, name: "chat", model: "llama-3.1-8b-instruct" },
          files: [],
          summary: {},
          branch: `b-${randomUUID()}`,
        },
      });
      await t.db.requestEvent.create({
        data: { requestId: request.id, type: "status", fromStatus: "syncing", toStatus: "live", actorEmail: "system:portal", message: "Live", at: new Date(Date.now() - 10 * 60_000) },
      });
    }
  });

  afterAll(async () => {
    holders.__portalDb = undefined;
    session.principal = null;
    await t?.close();
  });

  beforeEach(() => {
    metrics.dashboardCalls.length = 0;
    metrics.deploymentScopes.length = 0;
    metrics.dashboardAnswer = null;
    metrics.exploreAnswer = null;
    metrics.deployments = [];
  });

  // Table-driven: who asks for what, and the status they get. 404 across tenants, 403 for a role too low.
  const cases: Array<{ name: string; who: Who; path: () => string; status: number; code?: string; field?: string }> = [
    { name: "signed out", who: "signed out", path: () => "/api/metrics/dashboards/fleet", status: 401, code: "unauthenticated" },
    { name: "fleet for a platform admin", who: "platform-admin", path: () => "/api/metrics/dashboards/fleet", status: 200 },
    { name: "fleet for a developer", who: "developer A", path: () => "/api/metrics/dashboards/fleet", status: 403, code: "forbidden" },
    { name: "fleet for a tenant admin", who: "tenant-admin A", path: () => "/api/metrics/dashboards/fleet", status: 403, code: "forbidden" },
    { name: "fleet for finance", who: "finance", path: () => "/api/metrics/dashboards/fleet", status: 403, code: "forbidden" },
    { name: "fleet for no role", who: "no role", path: () => "/api/metrics/dashboards/fleet", status: 403, code: "forbidden" },
    { name: "own tenant's usage", who: "developer A", path: () => `/api/metrics/dashboards/tenant?namespace=${A}`, status: 200 },
    { name: "another tenant's usage", who: "developer B", path: () => `/api/metrics/dashboards/tenant?namespace=${A}`, status: 404, code: "not_found" },
    { name: "a tenant that does not exist", who: "developer A", path: () => "/api/metrics/dashboards/tenant?namespace=nope", status: 404, code: "not_found" },
    { name: "a tenant that does not exist, platform admin", who: "platform-admin", path: () => "/api/metrics/dashboards/tenant?namespace=nope", status: 404, code: "not_found" },
    { name: "any tenant's usage, platform admin", who: "platform-admin", path: () => `/api/metrics/dashboards/tenant?namespace=${B}`, status: 200 },
    { name: "a tenant's usage, finance", who: "finance", path: () => `/api/metrics/dashboards/tenant?namespace=${A}`, status: 403, code: "forbidden" },
    { name: "a repeated namespace: the last one counts, and is authorized", who: "developer A", path: () => `/api/metrics/dashboards/tenant?namespace=${A}&namespace=${B}`, status: 404 },
    { name: "tenant dashboard without a namespace", who: "platform-admin", path: () => "/api/metrics/dashboards/tenant", status: 422, field: "namespace" },
    { name: "model page without a deployment", who: "developer A", path: () => `/api/metrics/dashboards/model?namespace=${A}`, status: 422, field: "deployment" },
    { name: "PromQL in the namespace", who: "platform-admin", path: () => `/api/metrics/dashboards/tenant?namespace=${encodeURIComponent('a"}or vector(1)')}`, status: 422, field: "namespace" },
    { name: "regex in the deployment", who: "developer A", path: () => `/api/metrics/dashboards/model?namespace=${A}&deployment=.*`, status: 422, field: "deployment" },
    { name: "an unknown dashboard", who: "platform-admin", path: () => "/api/metrics/dashboards/secrets", status: 404 },
    { name: "a prototype name as dashboard", who: "platform-admin", path: () => "/api/metrics/dashboards/constructor", status: 404 },
    { name: "a panel of another dashboard", who: "developer A", path: () => `/api/metrics/dashboards/tenant?namespace=${A}&panels=gpu-power`, status: 422, field: "panels" },
    { name: "a bad range", who: "developer A", path: () => `/api/metrics/dashboards/tenant?namespace=${A}&range=5y`, status: 422, field: "range" },
    { name: "explore for a platform admin", who: "platform-admin", path: () => "/api/metrics/explore?query=up", status: 200 },
    { name: "explore for a tenant admin", who: "tenant-admin A", path: () => "/api/metrics/explore?query=up", status: 403, code: "forbidden" },
    { name: "explore for finance", who: "finance", path: () => "/api/metrics/explore?query=up", status: 403, code: "forbidden" },
    { name: "explore without a query", who: "platform-admin", path: () => "/api/metrics/explore", status: 422, field: "query" },
    { name: "fleet deployments for a developer", who: "developer A", path: () => "/api/metrics/deployments", status: 403 },
    { name: "another tenant's deployments", who: "developer B", path: () => `/api/metrics/deployments?namespace=${A}`, status: 404 },
  ];

  it.each(cases)("$name → $status", async ({ who, path, status, code, field }) => {
    const { status: got, body } = await call(who, path());
    expect(got, JSON.stringify(body)).toBe(status);
    if (code) expect(body.error?.code).toBe(code);
    if (field) expect(Object.keys(body.error?.fields ?? {})).toContain(field);
    // Nothing refused ever reached Prometheus.
    if (status !== 200) expect(metrics.dashboardCalls).toEqual([]);
  });

  it("the tenant scope is built on the server from the authorized tenant", async () => {
    const { status } = await call("developer A", `/api/metrics/dashboards/tenant?namespace=${A}&range=6h&width=640`);
    expect(status).toBe(200);
    expect(metrics.dashboardCalls).toHaveLength(1);
    const input = metrics.dashboardCalls[0]!;
    expect(input.scope).toEqual({ kind: "tenant", tenant: A, namespaces: [A] });
    expect(input.widthPx).toBe(640);
    expect(input.range.end - input.range.start).toBe(6 * 3600);
  });

  it("the fleet is the platform scope", async () => {
    await call("platform-admin", "/api/metrics/dashboards/fleet");
    expect(metrics.dashboardCalls[0]?.scope).toEqual({ kind: "platform" });
  });

  it("a Prometheus outage is a 200 with a banner and per-panel errors", async () => {
    metrics.dashboardAnswer = () => [
      { panelId: "requests", error: { kind: "unavailable", message: "Prometheus is not reachable at http://prometheus:9090" } },
      { panelId: "errors", error: { kind: "unavailable", message: "Prometheus is not reachable at http://prometheus:9090" } },
    ];
    const { status, body } = await call("developer A", `/api/metrics/dashboards/tenant?namespace=${A}`);
    expect(status).toBe(200);
    expect(body.prometheus).toEqual({ ok: false, message: "Prometheus is not reachable at http://prometheus:9090" });
    expect((body.panels as PanelResult[]).every((p) => p.error?.kind === "unavailable")).toBe(true);
  });

  it("one panel's bad query is not an outage", async () => {
    metrics.dashboardAnswer = () => [
      { panelId: "requests", data: { panelId: "requests", unit: "req/s", step: 30, series: [], warnings: [] } },
      { panelId: "errors", error: { kind: "execution", message: "many-to-many matching not allowed" } },
    ];
    const { body } = await call("developer A", `/api/metrics/dashboards/tenant?namespace=${A}`);
    expect(body.prometheus).toEqual({ ok: true });
    expect(body.step).toBe(30);
  });

  it("went-live markers: this tenant's request only; links only for those who may open requests", async () => {
    const dev = await call("developer A", `/api/metrics/dashboards/model?namespace=${A}&deployment=chat`);
    const markers = dev.body.liveMarkers as Array<{ label: string; href?: string; time: number }>;
    expect(markers).toHaveLength(1);
    expect(markers[0]!.label).toContain(`Deploy chat in ${A}`);
    expect(markers[0]!.href).toBeUndefined();
    const admin = await call("tenant-admin A", `/api/metrics/dashboards/model?namespace=${A}&deployment=chat`);
    expect((admin.body.liveMarkers as Array<{ href?: string }>)[0]!.href).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
    // Outside the range, nothing.
    const old = await call("tenant-admin A", `/api/metrics/dashboards/model?namespace=${A}&deployment=chat&from=${Math.floor(Date.now() / 1000) - 7200}&to=${Math.floor(Date.now() / 1000) - 3600}`);
    expect(old.body.liveMarkers).toEqual([]);
    const other = await call("tenant-admin A", `/api/metrics/dashboards/model?namespace=${A}&deployment=other`);
    expect(other.body.liveMarkers).toEqual([]);
  });

  it("deployments: a tenant sees its own rows even if the metrics layer returned more", async () => {
    metrics.deployments = [
      { namespace: A, deployment: "chat", model: "m" },
      { namespace: B, deployment: "chat", model: "m" },
    ];
    const { status, body } = await call("developer A", `/api/metrics/deployments?namespace=${A}`);
    expect(status).toBe(200);
    expect(body.deployments).toEqual([{ namespace: A, deployment: "chat", model: "m" }]);
    expect(metrics.deploymentScopes).toEqual([{ kind: "tenant", tenant: A, namespaces: [A] }]);
    const fleet = await call("platform-admin", "/api/metrics/deployments");
    expect(fleet.body.deployments).toHaveLength(2);
  });

  it("Prometheus refusing an Explore query is a 422 with its message; unreachable is a 503", async () => {
    metrics.exploreAnswer = async () => {
      throw new PrometheusError("bad_data", 'invalid parameter "query": 1:5: parse error: unexpected <by>', 400);
    };
    const refused = await call("platform-admin", "/api/metrics/explore?query=sum%20by");
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toBe('invalid parameter "query": 1:5: parse error: unexpected <by>');
    metrics.exploreAnswer = async () => {
      throw new PrometheusError("unavailable", "connect ECONNREFUSED 127.0.0.1:9090");
    };
    const down = await call("platform-admin", "/api/metrics/explore?query=up");
    expect(down.status).toBe(503);
  });
});
