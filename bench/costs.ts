/**
 * `npm run bench:costs`: the cost pages' server time and the CSV export's memory, on generated
 * snapshots in a fresh PostgreSQL database (DATABASE_URL is the server; a temporary database is
 * created and dropped). Calls the same functions the pages and routes call, after their gate.
 *
 * 1. 500 tenants × 90 days (+ breakdowns): costs table p50/p95, tenant page p50/p95.
 * 2. 500 tenants × 365 days, then 1000 and 2000 tenants (2×, 4× the rows): daily CSV export of
 *    all tenants and the per-tenant table export — time, bytes, and peak heap/RSS growth over the
 *    baseline (process.memoryUsage sampled every 10 ms). Flat memory = streaming.
 * Prints figures; asserts nothing.
 */
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../lib/db/generated/client";
import type { Db } from "../lib/db/client";
import { applyMigrations, loadMigrations, type SqlRunner } from "../lib/db/migrate";
import { costsTable } from "../lib/costs/costs-table";
import { tenantCostPage } from "../lib/costs/tenant-cost-page";
import { resolvePeriod, isoDay, startOfUtcDay } from "../lib/costs/period";
import { chunksToStream } from "../lib/costs/export/stream";
import { dailyCsvChunks, tenantsCsvChunks } from "../lib/costs/export/tenants-csv";

const base = process.env.DATABASE_URL;
if (!base) {
  console.error("bench:costs needs DATABASE_URL (a PostgreSQL server; a temporary database is created)");
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DAY = 86_400_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

async function time(name: string, runs: number, op: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await op(i); // warm-up: connection pool, query plans
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} n=${runs}  p50=${percentile(samples, 50).toFixed(1).padStart(6)} ms  p95=${percentile(samples, 95).toFixed(1).padStart(6)} ms  max=${samples.at(-1)!.toFixed(1).padStart(6)} ms`);
}

/** Drains a stream as a slow-enough client would, sampling memory; returns bytes, time and peaks. */
async function drain(stream: ReadableStream<Uint8Array>) {
  gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 10);
  const t0 = performance.now();
  let bytes = 0;
  let chunks = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    chunks += 1;
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }
  clearInterval(sampler);
  return { ms: performance.now() - t0, bytes, chunks, heapGrowth: peakHeap - baseline.heapUsed, rssGrowth: peakRss - baseline.rss, peakHeap };
}

async function main() {
  const name = `portal_bench_costs_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base!);
  url.pathname = `/${name}`;
  const sql = new pg.Client({ connectionString: url.toString() });
  await sql.connect();
  const runner: SqlRunner = { query: async <T,>(q: string, p?: unknown[]) => ({ rows: (await sql.query(q, p)).rows as T[] }), exec: async (q) => sql.query(q) };
  await applyMigrations(runner, await loadMigrations());
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 10 }) }) as unknown as Db;
  const today = startOfUtcDay(new Date());

  const addTenants = (from: number, to: number) =>
    sql.query(
      `INSERT INTO tenants (id, display_name, allowed_models, monthly_budget_cents, cost_center, status, created_at, updated_at)
       SELECT 'bench-' || lpad(i::text, 5, '0'), 'Bench tenant ' || i, ARRAY['llama-3.1-8b-instruct'], 100000 + i * 10, 'CC-' || (i % 40), 'active', now() - interval '2 years', now()
       FROM generate_series($1::int, $2::int) i`,
      [from, to],
    );
  // Two sources per tenant and day, as the snapshot job writes them.
  const addSnapshots = (fromTenant: number, toTenant: number, firstDay: Date, lastDay: Date) =>
    sql.query(
      `INSERT INTO cost_snapshots (id, tenant_id, day, source, idle_sharing, gpu_milli_hours, gpu_cost_cents, cpu_cost_cents, ram_cost_cents, pv_cost_cents, idle_share_cents, updated_at)
       SELECT gen_random_uuid(), 'bench-' || lpad(i::text, 5, '0'), d::date, 'opencost', 'proportional', 24000 + (i % 7) * 1000, 4800 + i % 500, 300 + i % 17, 120 + i % 13, 5, 200 + i % 11, now()
       FROM generate_series($1::int, $2::int) i, generate_series($3::date, $4::date, interval '1 day') d;
       INSERT INTO cost_snapshots (id, tenant_id, day, source, token_spend_micros, input_tokens, output_tokens, updated_at)
       SELECT gen_random_uuid(), 'bench-' || lpad(i::text, 5, '0'), d::date, 'litellm', 1234567 + i * 1001, 500000 + i, 250000 + i, now()
       FROM generate_series($1::int, $2::int) i, generate_series($3::date, $4::date, interval '1 day') d`.replace(/\$(\d)/g, (_, n) => ["", String(fromTenant), String(toTenant), `'${isoDay(firstDay)}'`, `'${isoDay(lastDay)}'`][Number(n)]!),
    );
  const addBreakdowns = (tenants: number, firstDay: Date, lastDay: Date) =>
    sql.query(
      `INSERT INTO cost_breakdowns (id, tenant_id, day, dimension, value, token_spend_micros, input_tokens, output_tokens, requests, gpu_milli_hours, gpu_cost_cents)
       SELECT gen_random_uuid(), 'bench-' || lpad(i::text, 5, '0'), d::date, dim.dimension, dim.value, 400000, 100000, 50000, 120, dim.gpu_mh, dim.gpu_cents
       FROM generate_series(1, ${tenants}) i, generate_series('${isoDay(firstDay)}'::date, '${isoDay(lastDay)}'::date, interval '1 day') d,
       (VALUES ('model','llama-3.1-8b-instruct',0,0),('model','qwen2.5-0.5b-instruct',0,0),('model','mistral-7b',0,0),
               ('key','hash-1',0,0),('key','hash-2',0,0),('key','hash-3',0,0),('user','alice',0,0),('user','bob',0,0),
               ('gpu-model','llama-3.1-8b-instruct',24000,4800)) AS dim(dimension, value, gpu_mh, gpu_cents)`,
    );

  try {
    console.log(`database ${name}; ${RUNS} runs per figure; gc ${gc ? "exposed" : "not exposed (run with NODE_OPTIONS=--expose-gc for steadier memory figures)"}`);
    // --- 1. 500 tenants × 90 days
    const last = new Date(today.getTime() - DAY);
    const first90 = new Date(today.getTime() - 90 * DAY);
    let t0 = performance.now();
    await addTenants(1, 500);
    await addSnapshots(1, 500, first90, last);
    await addBreakdowns(500, first90, last);
    await sql.query("ANALYZE");
    console.log(`generated 500 tenants × 90 days: ${500 * 90 * 2} snapshots, ${500 * 90 * 9} breakdowns in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const p90 = resolvePeriod({ kind: "custom", start: isoDay(first90), end: isoDay(today) });
    const month = resolvePeriod({ kind: "this-month" });
    await time("costs table, 500 tenants, 90-day period", RUNS, () => costsTable(db, { period: p90, currency: "USD", idleSharing: "proportional" }));
    await time("costs table, 500 tenants, this month", RUNS, () => costsTable(db, { period: month, currency: "USD", idleSharing: "proportional" }));
    await time("tenant page, 90-day period", RUNS, (i) => tenantCostPage(db, `bench-${String((i % 500) + 1).padStart(5, "0")}`, p90));
    await time("tenant page, this month", RUNS, (i) => tenantCostPage(db, `bench-${String((i % 500) + 1).padStart(5, "0")}`, month));

    // --- 2. exports over 365 days at 1×, 2×, 4× the rows
    const first365 = new Date(today.getTime() - 365 * DAY);
    await addSnapshots(1, 500, first365, new Date(first90.getTime() - DAY));
    const year = resolvePeriod({ kind: "custom", start: isoDay(first365), end: isoDay(today) });
    const scales: Array<[string, number]> = [["1×", 500], ["2×", 1000], ["4×", 2000]];
    let have = 500;
    for (const [label, tenants] of scales) {
      if (tenants > have) {
        t0 = performance.now();
        await addTenants(have + 1, tenants);
        await addSnapshots(have + 1, tenants, first365, last);
        have = tenants;
        console.log(`generated up to ${tenants} tenants × 365 days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      await sql.query("ANALYZE cost_snapshots");
      const daily = await drain(chunksToStream(dailyCsvChunks(db, { period: year, currency: "USD" })));
      const rows = tenants * 365;
      console.log(
        `daily CSV ${label} ${String(tenants).padStart(4)} tenants × 365 d = ${String(rows).padStart(7)} rows: ${(daily.ms / 1000).toFixed(2)} s, ${mb(daily.bytes)} in ${daily.chunks} chunks, ${Math.round(rows / (daily.ms / 1000))} rows/s, peak heap +${mb(daily.heapGrowth)} (peak ${mb(daily.peakHeap)}), peak RSS +${mb(daily.rssGrowth)}`,
      );
      const table = await drain(chunksToStream(tenantsCsvChunks(db, { period: year, currency: "USD" })));
      console.log(`tenants CSV ${label} ${String(tenants).padStart(4)} rows over 365 d: ${(table.ms / 1000).toFixed(2)} s, ${mb(table.bytes)}, peak heap +${mb(table.heapGrowth)}`);
    }
  } finally {
    await db.$disconnect();
    await sql.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
