/**
 * `npm run bench`: server latency of the keys page and of key creation at 1 and 20 concurrent
 * users, and first-load JavaScript (gzip) per route. Starts its own stack (e2e/stack.ts: the
 * built portal's standalone server, the sandbox, a fresh database) and prints figures; it
 * asserts nothing. Run `npm run build` first.
 */
import { spawn } from "node:child_process";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { DEMO_USERS } from "../sandbox/demo-users";
import { E2E } from "../e2e/env";
import { waitFor } from "../scripts/wait-for";
import { signInSession } from "./oidc-session";

const PORTAL = E2E.portalUrl;
const REQUESTS_PER_USER = Number(process.env.BENCH_REQUESTS ?? 25);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(name: string, users: string[], op: (cookie: string, i: number) => Promise<Response>) {
  const samples: number[] = [];
  let failures = 0;
  const errorSamples = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    users.map(async (cookie, u) => {
      for (let i = 0; i < REQUESTS_PER_USER; i++) {
        const t0 = performance.now();
        const res = await op(cookie, u * 1000 + i);
        const body = await res.text();
        samples.push(performance.now() - t0);
        if (!res.ok) {
          failures++;
          const key = `${res.status} ${body.slice(0, 160)}`;
          errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(34)} n=${String(samples.length).padStart(4)}  p50=${percentile(samples, 50).toFixed(1).padStart(6)} ms  p95=${percentile(samples, 95).toFixed(1).padStart(6)} ms  max=${samples.at(-1)!.toFixed(1).padStart(6)} ms  ${(samples.length / wall).toFixed(1)} req/s  errors=${failures}`,
  );
  for (const [error, count] of errorSamples) console.log(`    ${count} × ${error}`);
}

/**
 * Open loop: each user sends a request every `periodMs` whatever the answers do (think time, as
 * people use a page), latency measured from the intended send time so queueing is not hidden.
 */
async function paced(name: string, users: string[], op: (cookie: string, i: number) => Promise<Response>, periodMs: number) {
  const samples: number[] = [];
  const start = performance.now() + 50;
  await Promise.all(
    users.map(async (cookie, u) => {
      const offset = (periodMs / users.length) * u;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < REQUESTS_PER_USER; i++) {
        const intended = start + offset + i * periodMs;
        await new Promise((r) => setTimeout(r, Math.max(0, intended - performance.now())));
        pending.push(op(cookie, i).then(async (res) => {
          await res.arrayBuffer();
          samples.push(performance.now() - intended);
        }));
      }
      await Promise.all(pending);
    }),
  );
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} n=${String(samples.length).padStart(4)}  p50=${percentile(samples, 50).toFixed(1).padStart(6)} ms  p95=${percentile(samples, 95).toFixed(1).padStart(6)} ms  max=${samples.at(-1)!.toFixed(1).padStart(6)} ms`);
}

async function firstLoadJs(cookie: string, routes: string[]) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  const context = await browser.newContext();
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const eq = pair.indexOf("=");
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), domain: "localhost", path: "/" };
    }),
  );
  console.log("\nFirst-load JavaScript per route (same-origin scripts, gzip -6):");
  for (const route of routes) {
    const page = await context.newPage();
    const scripts = new Map<string, number>();
    page.on("response", async (res) => {
      if (res.request().resourceType() !== "script" || !res.url().startsWith(PORTAL)) return;
      try {
        scripts.set(res.url(), gzipSync(await res.body()).length);
      } catch {
        // navigation raced the body read
      }
    });
    await page.goto(`${PORTAL}${route}`, { waitUntil: "networkidle" });
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    console.log(`  ${route.padEnd(28)} ${(total / 1024).toFixed(1).padStart(7)} KB gzip  (${scripts.size} files)`);
    await page.close();
  }
  await browser.close();
}

const stack = spawn(process.execPath, ["node_modules/.bin/tsx", "e2e/stack.ts"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
try {
  await waitFor([`${PORTAL}/api/ready`], 120_000);
  const user = (email: string) => DEMO_USERS.find((u) => u.email === email)!;
  const dev = user("dev@acme.example");
  const admin = user("admin@acme.example");
  const devCookie = await signInSession(PORTAL, dev.email, dev.password);
  const adminCookie = await signInSession(PORTAL, admin.email, admin.password);
  const cookies20 = Array.from({ length: 20 }, (_, i) => (i % 2 ? devCookie : adminCookie));
  const headers = (cookie: string) => ({ cookie, "content-type": "application/json", origin: PORTAL });

  console.log(`Portal ${PORTAL} (standalone build), ${REQUESTS_PER_USER} requests per user\n`);
  const keysPage = (cookie: string) => fetch(`${PORTAL}/t/acme/keys`, { headers: { cookie } });
  // Aliases are unique per live key in a tenant: each measurement gets its own prefix.
  const createKey = (prefix: string) => (cookie: string, i: number) =>
    fetch(`${PORTAL}/api/tenants/acme/keys`, {
      method: "POST",
      headers: headers(cookie),
      body: JSON.stringify({ alias: `${prefix}-${i}`, models: ["qwen2.5-0.5b-instruct"], expiresInDays: 7 }),
    });
  await measure("warm-up", [devCookie], keysPage);
  await measure("keys page, 1 user", [devCookie], keysPage);
  await measure("keys page, 20 users", cookies20, keysPage);
  await measure("create key, 1 user", [devCookie], createKey(`bench1-${Date.now()}`));
  await measure("create key, 20 users", cookies20, createKey(`bench20-${Date.now()}`));
  await measure("keys page after creates, 20 users", cookies20, keysPage);
  await paced("keys page, 20 users × 1 req/s (open loop)", cookies20, keysPage, 1000);

  const platform = user("platform@example.com");
  const platformCookie = await signInSession(PORTAL, platform.email, platform.password);
  await firstLoadJs(adminCookie, ["/", "/t/acme/keys", "/audit"]);
  await firstLoadJs(platformCookie, ["/tenants", "/tenants/new"]);
} finally {
  stack.kill("SIGTERM");
}
