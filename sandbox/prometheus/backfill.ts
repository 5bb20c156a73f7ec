import { execFile } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { PROMTOOL_BINARY } from "./process";

/**
 * Synthetic history for the 24 h / 30 d dashboard ranges of a fresh sandbox: every series the
 * live fleet exposes right now (same names, same labels after relabelling) is written back in
 * time with a day-shaped load curve — gauges follow the curve, counters (and histogram buckets)
 * grow along its integral up to their live value — and turned into TSDB blocks by
 * `promtool tsdb create-blocks-from openmetrics`, then moved into Prometheus's data dir, which
 * loads new blocks on its next reload cycle. It is shaped, not measured: a marker file records
 * that a data dir was backfilled, so restarts (which keep real history) do not add more.
 */

const run = promisify(execFile);
const vectorSchema = z.object({
  data: z.object({ result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }),
});
const MARKER = "backfilled.json";

export interface BackfillOptions {
  prometheusUrl: string;
  /** Prometheus's data dir (the one holding `data/`). */
  dataDir: string;
  hours: number;
  /** History ends here (ms); normally when the live scrapes began. */
  endMs: number;
  stepSeconds?: number;
  promtool?: string;
}

/** Relative load over the day: low at night, peak mid-afternoon, in (0.15, 1]. */
export function dayCurve(ms: number): number {
  const hour = (ms / 3_600_000) % 24;
  const base = 0.575 - 0.425 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
  const ripple = 0.05 * Math.sin(ms / 1_700_000) + 0.03 * Math.sin(ms / 370_000);
  return Math.min(1, Math.max(0.15, base + ripple));
}

const CUMULATIVE = /(_total|_bucket|_count|_sum|_created)$/;
/** Object state and bookkeeping do not follow traffic. */
const constant = (metric: Record<string, string>, name: string) =>
  metric.job === "kube-state-metrics" || name === "up" || name.endsWith("_info") || (name.startsWith("keda_") && name !== "keda_scaler_metrics_value");
/** Ratios and percentages may not exceed their scale however the curve moves. */
const bounded = (name: string) => (/perc|usage|_ratio/.test(name) ? 1 : /UTIL|_ACTIVE$/.test(name) ? 100 : Infinity);

function formatLabels(metric: Record<string, string>): string {
  const parts = Object.entries(metric)
    .filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** Writes the OpenMetrics input: one series at a time, samples in time order. */
export async function writeOpenMetrics(
  file: string,
  series: ReadonlyArray<HistorySeries>,
  startMs: number,
  endMs: number,
  stepMs: number,
): Promise<number> {
  const out = createWriteStream(file);
  const times: number[] = [];
  for (let t = startMs; t < endMs; t += stepMs) times.push(t);
  const curve = times.map(dayCurve);
  const integral: number[] = [];
  curve.reduce((sum, c, i) => ((integral[i] = sum + c), sum + c), 0);
  const total = integral.at(-1) ?? 1;
  const refCurve = dayCurve(endMs);
  let samples = 0;
  const write = (line: string) => (out.write(line) ? undefined : new Promise<void>((r) => out.once("drain", () => r())));
  for (const s of series) {
    const name = s.metric.__name__;
    if (!name || !Number.isFinite(s.value)) continue;
    const labels = formatLabels(s.metric);
    const cumulative = CUMULATIVE.test(name);
    const cap = Math.max(bounded(name), s.value);
    const flat = !cumulative && constant(s.metric, name);
    let chunk = "";
    // A counter with a measured rate grows at that rate scaled by the curve; without one it
    // climbs along the curve's integral to its live value.
    const perStep = s.rate !== undefined && s.rate > 0 ? (s.rate * stepMs) / 1000 / refCurve : undefined;
    for (const [i, t] of times.entries()) {
      const v = cumulative
        ? perStep !== undefined
          ? perStep * integral[i]!
          : (s.value * integral[i]!) / total
        : Math.min(cap, (s.value * curve[i]!) / refCurve);
      chunk += `${name}${labels} ${flat ? s.value : v.toFixed(4)} ${(t / 1000).toFixed(3)}\n`;
      samples++;
    }
    await write(chunk);
  }
  await write("# EOF\n");
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return samples;
}

/** A live series; `rate` (per second) for counters, when traffic was measured. */
export type HistorySeries = { metric: Record<string, string>; value: number; rate?: number };

const signature = (metric: Record<string, string>) =>
  JSON.stringify(Object.entries(metric).filter(([k]) => k !== "__name__").sort(([a], [b]) => a.localeCompare(b)));

async function instant(prometheusUrl: string, query: string) {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(30_000) });
  return vectorSchema.parse(await res.json()).data.result;
}

/** Every series Prometheus has right now from the sandbox's jobs, with its value and counter rate. */
export async function snapshotSeries(prometheusUrl: string, rateWindow = "2m"): Promise<HistorySeries[]> {
  const series: HistorySeries[] = (await instant(prometheusUrl, '{job=~".+",__name__!~"scrape_.*"}')).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  const counters = new Set(series.map((s) => s.metric.__name__ ?? "").filter((n) => CUMULATIVE.test(n) && /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(n)));
  for (const name of counters) {
    // rate() drops the name: match the results back by their other labels.
    const rates = new Map((await instant(prometheusUrl, `rate(${name}[${rateWindow}])`)).map((r) => [signature(r.metric), Number(r.value[1])]));
    for (const s of series) if (s.metric.__name__ === name) s.rate = rates.get(signature(s.metric));
  }
  return series;
}

/**
 * Writes history blocks for `series` into `<dataDir>/data`. A running Prometheus loads them on
 * its next block reload (about a minute); one started afterwards loads them at once.
 */
export async function createHistoryBlocks(
  series: readonly HistorySeries[],
  options: Omit<BackfillOptions, "prometheusUrl">,
): Promise<{ series: number; samples: number; blocks: number } | "already"> {
  const marker = path.join(options.dataDir, MARKER);
  if (existsSync(marker)) return "already";
  await mkdir(path.join(options.dataDir, "data"), { recursive: true });
  const work = await mkdtemp(path.join(options.dataDir, "backfill-"));
  try {
    const input = path.join(work, "history.om");
    const stepMs = (options.stepSeconds ?? 300) * 1000;
    const startMs = options.endMs - options.hours * 3_600_000;
    const samples = await writeOpenMetrics(input, series, startMs, options.endMs, stepMs);
    const blocksDir = path.join(work, "blocks");
    await run(options.promtool ?? PROMTOOL_BINARY, ["tsdb", "create-blocks-from", "openmetrics", input, blocksDir], { maxBuffer: 16 * 1024 * 1024 });
    const blocks = (await readdir(blocksDir, { withFileTypes: true })).filter((e) => e.isDirectory());
    for (const b of blocks) await rename(path.join(blocksDir, b.name), path.join(options.dataDir, "data", b.name));
    await writeFile(marker, JSON.stringify({ at: new Date().toISOString(), hours: options.hours, endMs: options.endMs, series: series.length }));
    return { series: series.length, samples, blocks: blocks.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Snapshot of the live series, written back `hours` before `endMs`. */
export async function backfillHistory(options: BackfillOptions): Promise<{ series: number; samples: number; blocks: number } | "already"> {
  if (existsSync(path.join(options.dataDir, MARKER))) return "already";
  return createHistoryBlocks(await snapshotSeries(options.prometheusUrl), options);
}
