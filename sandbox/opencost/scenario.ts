import { pathToFileURL } from "node:url";
import type { ClusterHistory } from "./history";
import { GIB } from "./pricing";

/**
 * A scripted month with KNOWN costs, for tests, e2e runs and demos. Everything is relative to
 * the month's first instant (UTC), so it can be loaded for any month; figures depend on the
 * month's length only through the tenant created mid-month (it runs to the month's end) and the
 * replica that runs across the month's end.
 *
 * Nodes: gpu-l4-0 and gpu-l4-1, 8 × L4, 96 cores, 1056 GiB each, from the 1st 00:00 until one day
 * into the next month. Pods request 4 cores and 16 GiB per GPU (the catalog's L4 host share):
 * - acme/qwen-chat (Deployment `qwen-chat`): 1 × L4 on gpu-l4-0 from the 1st 00:00 for 240 h,
 *   with a 100 GiB volume; a second replica, 1 × L4 on gpu-l4-1, from 12:00 on the last day for
 *   24 h (12 h in this month, 12 h in the next);
 * - acme/llama-8b: 1 × L4 on gpu-l4-0 from the 5th 06:00 for 100 h;
 * - globex/qwen-support: 1 × L4 on gpu-l4-1 from the 2nd 00:00 for 50 h;
 * - initech/mistral-7b (tenant created on the 16th): 2 × L4 on gpu-l4-1 from the 16th 00:00 to
 *   the month's end.
 * Prices are the stand-in's defaults: L4 80 ¢/GPU-h, 2 ¢/core-h, 0.25 ¢/GiB-h RAM, 0.01 ¢/GiB-h PV.
 */
export const SCENARIO_TENANTS = ["acme", "globex", "initech"] as const;
export type ScenarioTenant = (typeof SCENARIO_TENANTS)[number];

const HOUR = 3_600_000;
const CPU_PER_GPU = 4;
const RAM_GIB_PER_GPU = 16;
const NODE_CPU = 96;
const NODE_RAM_GIB = 1056;
const NODE_GPUS = 8;
const L4_CENTS = 80;

interface ScenarioNode {
  node: string;
}
interface ScenarioPod {
  namespace: ScenarioTenant;
  pod: string;
  controller: string;
  model: string;
  node: string;
  gpus: number;
  pvGiB: number;
  /** Hours from the month's start, given the month's length in days. */
  from: (days: number) => number;
  to: (days: number) => number;
}

export const SCENARIO_NODES: readonly ScenarioNode[] = [{ node: "gpu-l4-0" }, { node: "gpu-l4-1" }];

export const SCENARIO_PODS: readonly ScenarioPod[] = [
  { namespace: "acme", pod: "qwen-chat-6d4cf56db6-x7k2p", controller: "qwen-chat", model: "qwen2.5-7b-instruct", node: "gpu-l4-0", gpus: 1, pvGiB: 100, from: () => 0, to: () => 240 },
  { namespace: "acme", pod: "qwen-chat-6d4cf56db6-m9w4t", controller: "qwen-chat", model: "qwen2.5-7b-instruct", node: "gpu-l4-1", gpus: 1, pvGiB: 0, from: (d) => d * 24 - 12, to: (d) => d * 24 + 12 },
  { namespace: "acme", pod: "llama-8b-7b9f8c5d4-q2r8z", controller: "llama-8b", model: "llama-3.1-8b-instruct", node: "gpu-l4-0", gpus: 1, pvGiB: 0, from: () => 4 * 24 + 6, to: () => 4 * 24 + 106 },
  { namespace: "globex", pod: "qwen-support-5c8d7f9b6-h3n5v", controller: "qwen-support", model: "qwen2.5-7b-instruct", node: "gpu-l4-1", gpus: 1, pvGiB: 0, from: () => 24, to: () => 74 },
  { namespace: "initech", pod: "mistral-7b-84f6b7c9d-t6y1u", controller: "mistral-7b", model: "mistral-7b-instruct", node: "gpu-l4-1", gpus: 2, pvGiB: 0, from: () => 15 * 24, to: (d) => d * 24 },
];

/** "2026-01" → the month's start (ms, UTC) and length in days. */
export function scenarioMonth(month: string): { start: number; end: number; days: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`month must be YYYY-MM, got ${month}`);
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
  return { start, end, days: Math.round((end - start) / (24 * HOUR)) };
}

/** Replaces `history` with the scenario for `month` (YYYY-MM, UTC). */
export function loadScenario(history: ClusterHistory, options: { month: string }): void {
  loadScenarioMonths(history, [options.month]);
}

/**
 * Replaces `history` with the scenario of several consecutive months (demos want this month and
 * the last): each month's pods as in `loadScenario`, one pair of nodes across all of them (so the
 * node-day past a month's end is not counted twice). Idempotent: loading again gives the same.
 */
export function loadScenarioMonths(history: ClusterHistory, months: readonly string[]): void {
  const spans = [...new Set(months)].sort().map(scenarioMonth);
  if (spans.length === 0) throw new Error("no month to load");
  for (let i = 1; i < spans.length; i++) if (spans[i]!.start !== spans[i - 1]!.end) throw new Error("scenario months must be consecutive");
  history.clear();
  const first = spans[0]!;
  const last = spans.at(-1)!;
  for (const n of SCENARIO_NODES) {
    history.addNode({ node: n.node, gpuType: "L4", gpuCount: NODE_GPUS, cpuCores: NODE_CPU, ramBytes: NODE_RAM_GIB * GIB, start: first.start, end: last.end + 24 * HOUR });
  }
  for (const { start, days } of spans) {
    for (const p of SCENARIO_PODS) {
      history.addPod({
        namespace: p.namespace,
        pod: p.pod,
        node: p.node,
        controller: p.controller,
        controllerKind: "deployment",
        labels: { app: p.controller, "portal.inference-platform.io/model": p.model },
        gpus: p.gpus,
        cpuCores: CPU_PER_GPU * p.gpus,
        ramBytes: RAM_GIB_PER_GPU * p.gpus * GIB,
        pvBytes: p.pvGiB * GIB,
        start: start + p.from(days) * HOUR,
        end: start + p.to(days) * HOUR,
      });
    }
  }
}

/** Costs in integer cents, hours in hours. */
export interface ScenarioFigures {
  gpuHours: number;
  gpuCents: number;
  cpuCents: number;
  ramCents: number;
  pvCents: number;
  totalCents: number;
}

export interface ScenarioExpectations {
  /** Window: the whole month, [1st 00:00, next 1st 00:00) UTC. */
  window: { start: Date; end: Date };
  tenants: Record<ScenarioTenant, ScenarioFigures>;
  /** Unrequested capacity of both nodes (no PV idle). */
  idle: ScenarioFigures;
  idleByNode: Record<string, ScenarioFigures>;
  /** Tenants + idle. */
  cluster: ScenarioFigures;
}

const zero = (): ScenarioFigures => ({ gpuHours: 0, gpuCents: 0, cpuCents: 0, ramCents: 0, pvCents: 0, totalCents: 0 });
function add(into: ScenarioFigures, gpus: number, hours: number, pvGiB: number, sign = 1): void {
  into.gpuHours += sign * gpus * hours;
  into.gpuCents += sign * gpus * hours * L4_CENTS;
  into.cpuCents += sign * CPU_PER_GPU * gpus * hours * 2;
  into.ramCents += sign * (RAM_GIB_PER_GPU * gpus * hours) / 4;
  into.pvCents += sign * (pvGiB * hours) / 100;
  into.totalCents = into.gpuCents + into.cpuCents + into.ramCents + into.pvCents;
}

/**
 * The expected month figures, by plain arithmetic on the definitions above (independent of the
 * allocation engine, which is what the tests hold it to). With `loadedMonths` (as given to
 * `loadScenarioMonths`), pods of the other loaded months that run into this one count too (the
 * previous month's replica runs 12 h into this month).
 */
export function scenarioExpectations(month: string, loadedMonths: readonly string[] = [month]): ScenarioExpectations {
  const { start, end, days } = scenarioMonth(month);
  const monthHours = days * 24;
  const tenants = { acme: zero(), globex: zero(), initech: zero() };
  const idleByNode: Record<string, ScenarioFigures> = {};
  for (const n of SCENARIO_NODES) {
    const f = zero();
    f.gpuHours = NODE_GPUS * monthHours;
    f.gpuCents = NODE_GPUS * monthHours * L4_CENTS;
    f.cpuCents = NODE_CPU * monthHours * 2;
    f.ramCents = (NODE_RAM_GIB * monthHours) / 4;
    f.totalCents = f.gpuCents + f.cpuCents + f.ramCents;
    idleByNode[n.node] = f;
  }
  for (const loaded of new Set(loadedMonths)) {
    const other = scenarioMonth(loaded);
    const offset = (other.start - start) / HOUR;
    for (const p of SCENARIO_PODS) {
      const hours = Math.min(offset + p.to(other.days), monthHours) - Math.max(offset + p.from(other.days), 0);
      if (hours <= 0) continue;
      add(tenants[p.namespace], p.gpus, hours, p.pvGiB);
      add(idleByNode[p.node]!, p.gpus, hours, 0, -1);
    }
  }
  const idle = zero();
  for (const f of Object.values(idleByNode)) for (const k of Object.keys(idle) as Array<keyof ScenarioFigures>) idle[k] += f[k];
  const cluster = zero();
  for (const f of [...Object.values(tenants), idle]) for (const k of Object.keys(cluster) as Array<keyof ScenarioFigures>) cluster[k] += f[k];
  return { window: { start: new Date(start), end: new Date(end) }, tenants, idle, idleByNode, cluster };
}

/**
 * January 2026 (31 days), written out by hand so a change of the scenario or of the arithmetic
 * above shows up as a failing comparison rather than silently moving both.
 */
export const JANUARY_2026 = {
  month: "2026-01",
  tenants: {
    // 240 + 100 + 12 GPU-hours; PV 100 GiB × 240 h × 0.01 ¢
    acme: { gpuHours: 352, gpuCents: 28_160, cpuCents: 2_816, ramCents: 1_408, pvCents: 240, totalCents: 32_624 },
    globex: { gpuHours: 50, gpuCents: 4_000, cpuCents: 400, ramCents: 200, pvCents: 0, totalCents: 4_600 },
    // created on the 16th: 2 GPUs × 16 days × 24 h
    initech: { gpuHours: 768, gpuCents: 61_440, cpuCents: 6_144, ramCents: 3_072, pvCents: 0, totalCents: 70_656 },
  },
  // 2 nodes × 8 GPUs × 744 h = 11 904 GPU-h, minus 1 170 requested
  idle: { gpuHours: 10_734, gpuCents: 858_720, cpuCents: 276_336, ramCents: 388_152, pvCents: 0, totalCents: 1_523_208 },
  cluster: { gpuHours: 11_904, gpuCents: 952_320, cpuCents: 285_696, ramCents: 392_832, pvCents: 240, totalCents: 1_631_088 },
} as const;

async function main(): Promise<void> {
  const { startOpenCost } = await import("./opencost-server");
  const args = process.argv.slice(2);
  const month = args[args.indexOf("--month") + 1] && args.includes("--month") ? args[args.indexOf("--month") + 1]! : new Date().toISOString().slice(0, 7);
  const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : 9003;
  const oc = await startOpenCost({ host: "127.0.0.1", port });
  loadScenario(oc.history, { month });
  console.log(JSON.stringify({ url: oc.url, month, expected: scenarioExpectations(month) }, null, 2));
  process.on("SIGINT", () => void oc.close().then(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
