/**
 * `npm run bench:dashboards`: the cost of the dashboards (issue 4), measured side by side in one
 * run against the built portal + sandbox (e2e/stack.ts, ports shifted by E2E_PORT_OFFSET=40) with
 * the real Prometheus holding 24 h of backfilled history plus live traffic:
 *
 *  - a 12-panel Fleet dashboard over 24 h through the portal API, cold (a range nobody asked for
 *    yet) and warm (the same range again), vs the very same PromQL sent straight to Prometheus
 *    (the queries are produced by the portal's own catalog code for the same range and width,
 *    with the portal's upstream concurrency of 6);
 *  - upstream Prometheus requests for one viewer's refresh vs 20 concurrent viewers' (from the
 *    portal's portal_prometheus_queries_total counter);
 *  - points per series sent to the browser;
 *  - Largest Contentful Paint of /fleet in Chromium.
 *
 * Prints figures; asserts nothing. Run `npm run build` first.
 */
process.env.E2E_PORT_OFFSET ??= "40";
import { spawn } from "node:child_process";

const { E2E } = await import("../e2e/env");
const { DEMO_USERS } = await import("../sandbox/demo-users");
const { waitFor } = await import("../scripts/wait-for");
const { signInSession } = await import("./oidc-session");
const { createLoadKey } = await import("../sandbox/load/litellm-key");
const { startLoad } = await import("../sandbox/load/run-load");
const { createPrometheusClient } = await import("../lib/integrations/prometheus/client");
const { createMetricsService } = await import("../lib/metrics/run-panel");
const { createQueryRunner } = await import("../lib/metrics/query-runner");
const { getDashboard } = await import("../lib/metrics/dashboards");
const { chromium } = await import("@playwright/test");

const PORTAL = E2E.portalUrl;
const PROM = E2E.prometheusUrl;
const WIDTH = 600;
const DAY = 86_400;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const SCRAPE_SECONDS = 2; // what e2e/stack.ts gives both Prometheus and the portal
const PANELS = getDashboard("fleet").panels.slice(0, 12).map((p) => p.id);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms  p95 ${pct(xs, 95).toFixed(0).padStart(5)} ms`;

type Call = { kind: "range"; expr: string; start: number; end: number; step: number } | { kind: "instant"; expr: string; time: number };

/** The exact upstream calls the portal makes for this dashboard, range and width (its own code, recording instead of caching). */
async function plannedCalls(range: { start: number; end: number }): Promise<Call[]> {
  const real = createPrometheusClient({ url: PROM, timeoutMs: 30_000 });
  const calls: Call[] = [];
  const recorder = {
    ...real,
    query: async (expr: string, time?: number) => (calls.push({ kind: "instant", expr, time: time! }), real.query(expr, time)),
    queryRange: async (expr: string, start: number, end: number, step: number) => (calls.push({ kind: "range", expr, start, end, step }), real.queryRange(expr, start, end, step)),
  } as typeof real;
  const service = createMetricsService({ client: recorder, scrapeIntervalSec: SCRAPE_SECONDS, runner: createQueryRunner(recorder) });
  await service.runDashboard({ dashboard: "fleet", scope: { kind: "platform" }, params: {}, range, widthPx: WIDTH, panels: PANELS });
  return calls;
}

/** Sends the calls straight to Prometheus's HTTP API, 6 at a time (the portal's upstream limit). */
async function direct(calls: Call[]): Promise<number> {
  const queue = [...calls];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const form: Record<string, string> = c.kind === "range" ? { query: c.expr, start: String(c.start), end: String(c.end), step: String(c.step) } : { query: c.expr, time: String(c.time) };
        const res = await fetch(`${PROM}/api/v1/${c.kind === "range" ? "query_range" : "query"}`, { method: "POST", body: new URLSearchParams(form) });
        if (!res.ok) throw new Error(`direct query failed ${res.status}: ${await res.text()}`);
        await res.json();
      }
    }),
  );
  return performance.now() - t0;
}

type DashboardBody = { panels: Array<{ panelId: string; data?: { series: Array<{ points: unknown[] }> }; error?: { message: string } }> };

async function viaPortal(cookie: string, range: { start: number; end: number }): Promise<{ ms: number; body: DashboardBody }> {
  const qs = new URLSearchParams({ from: String(range.start), to: String(range.end), width: String(WIDTH), panels: PANELS.join(",") });
  const t0 = performance.now();
  const res = await fetch(`${PORTAL}/api/metrics/dashboards/fleet?${qs}`, { headers: { cookie } });
  const body = (await res.json()) as DashboardBody;
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`portal ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  const failed = body.panels.filter((p) => p.error);
  if (failed.length) throw new Error(`panels failed: ${failed.map((p) => `${p.panelId}: ${p.error!.message}`).join("; ")}`);
  return { ms, body };
}

async function upstreamCount(): Promise<number> {
  const text = await (await fetch(`${PORTAL}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("portal_prometheus_queries_total") && l.includes('source="upstream"'));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

async function largestContentfulPaint(cookie: string, runs: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  const values: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A new context each time: no HTTP cache, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addCookies(cookie.split("; ").map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), domain: "localhost", path: "/" })));
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { __lcp: number };
        w.__lcp = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__lcp = e.startTime;
        }).observe({ type: "largest-contentful-paint", buffered: true });
      });
      await page.goto(`${PORTAL}/fleet?range=24h`, { waitUntil: "networkidle" });
      await page.waitForTimeout(1_000);
      values.push(await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return values;
}

const stack = spawn(process.execPath, ["node_modules/.bin/tsx", "e2e/stack.ts"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, E2E_PROMETHEUS_BACKFILL_HOURS: "24", E2E_LOG_LEVEL: "error" },
});
const loads: Array<{ stop(): Promise<unknown> }> = [];
try {
  await waitFor([`${PORTAL}/api/ready`], 180_000);
  const platform = DEMO_USERS.find((u) => u.email === "platform@example.com")!;
  const cookie = await signInSession(PORTAL, platform.email, platform.password);

  // Live traffic on both tenants' Qwen deployments, as the dashboards would see in production.
  for (const slug of ["acme", "globex"]) {
    const key = await createLoadKey(E2E.litellmUrl, E2E.masterKey, { slug, displayName: slug }, ["qwen2.5-0.5b-instruct"]);
    const run = startLoad({ litellmUrl: E2E.litellmUrl, apiKey: key.secret, model: "qwen2.5-0.5b-instruct", concurrency: 4, rate: 4, promptMix: "short" });
    loads.push({ stop: async () => (await run.stop(), await key.delete()) });
  }
  // The backfill is written once traffic flows; wait until the 24 h window really holds a day.
  process.stdout.write("waiting for 24 h of backfilled history");
  for (let i = 0; ; i++) {
    const res = await fetch(`${PROM}/api/v1/query?query=${encodeURIComponent("count(vllm:num_requests_running offset 20h)")}`);
    const body = (await res.json()) as { data: { result: unknown[] } };
    if (body.data.result.length) break;
    if (i > 90) throw new Error("no backfilled history after 3 minutes");
    process.stdout.write(".");
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.log(" ok\n");

  const now = Math.floor(Date.now() / 1000);
  const probe = await plannedCalls({ start: now - DAY, end: now });
  const step = probe.find((c) => c.kind === "range")?.kind === "range" ? (probe.find((c) => c.kind === "range") as { step: number }).step : 60;
  console.log(`12-panel Fleet dashboard over 24 h at ${WIDTH}px: ${probe.length} upstream queries per load, step ${step}s`);

  const directMs: number[] = [];
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  let maxPoints = 0;
  let seriesCount = 0;
  for (let i = 0; i < ROUNDS; i++) {
    // A fresh 24 h window every round (shifted by whole steps), so the portal's cache is cold.
    const end = now - (i + 1) * 7 * step;
    const range = { start: end - DAY, end };
    const calls = await plannedCalls(range); // also warms Prometheus's page cache for both sides alike
    const runDirect = async () => directMs.push(await direct(calls));
    const runPortal = async () => {
      const cold = await viaPortal(cookie, range);
      coldMs.push(cold.ms);
      for (const p of cold.body.panels) for (const s of p.data?.series ?? []) ((maxPoints = Math.max(maxPoints, s.points.length)), seriesCount++);
      warmMs.push((await viaPortal(cookie, range)).ms);
    };
    // Alternate who goes first, so neither side always benefits from the other.
    if (i % 2) (await runDirect(), await runPortal());
    else (await runPortal(), await runDirect());
  }
  const d50 = pct(directMs, 50);
  console.log(`  direct to Prometheus     ${fmt(directMs)}`);
  console.log(`  portal API, cold         ${fmt(coldMs)}   (p50 ${(pct(coldMs, 50) / d50).toFixed(2)}× direct; target ≤ 1.2×)`);
  console.log(`  portal API, warm         ${fmt(warmMs)}   (p50 ${(pct(warmMs, 50) / d50).toFixed(2)}× direct; target ≤ 0.2×)`);
  console.log(`  points per series sent   max ${maxPoints} over ${seriesCount} series (target ≤ 1,000)\n`);

  // Upstream requests: one viewer's refresh vs 20 viewers refreshing the same view at once.
  const fresh = (k: number) => ({ start: now - DAY - k * 11 * step, end: now - k * 11 * step });
  let before = await upstreamCount();
  await viaPortal(cookie, fresh(100));
  const one = (await upstreamCount()) - before;
  before = await upstreamCount();
  await Promise.all(Array.from({ length: 20 }, () => viaPortal(cookie, fresh(101))));
  const twenty = (await upstreamCount()) - before;
  console.log(`Upstream Prometheus requests per refresh: 1 viewer ${one}, 20 concurrent viewers ${twenty} (${(twenty / one).toFixed(2)}×; target ≤ 2×)\n`);

  const lcp = await largestContentfulPaint(cookie, 5);
  console.log(`Largest Contentful Paint of /fleet?range=24h (Chromium, fresh context each): p50 ${pct(lcp, 50).toFixed(0)} ms, max ${Math.max(...lcp).toFixed(0)} ms (target ≤ 1,500 ms)`);
} finally {
  await Promise.all(loads.map((l) => l.stop().catch(() => undefined)));
  stack.kill("SIGTERM");
}
