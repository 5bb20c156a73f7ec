import { describe, expect, it } from "vitest";
import { computeAllocation, type AllocationQuery } from "./allocation";
import { ClusterHistory } from "./history";
import { DEFAULT_PRICES } from "./pricing";
import { parseAllocationQuery } from "./query";
import { JANUARY_2026, loadScenario, scenarioExpectations, SCENARIO_TENANTS, type ScenarioFigures } from "./scenario";
import { ParamError, parseWindow } from "./window";

type Alloc = Record<string, number | string | Record<string, unknown> | null>;
const HOUR = 3_600_000;
const T = (iso: string) => Date.parse(iso);
// "now" after the scenario month and its spill-over day, so nothing is clipped by the clock.
const NOW = T("2026-03-15T12:00:00Z");

function scenario(month = "2026-01") {
  const h = new ClusterHistory(() => NOW);
  loadScenario(h, { month });
  return h;
}

function query(h: ClusterHistory, qs: string, now = NOW) {
  return computeAllocation(h, DEFAULT_PRICES, parseAllocationQuery(new URLSearchParams(qs), now), now) as Array<Record<string, Alloc>>;
}

const cents = (dollars: unknown) => Math.round(Number(dollars) * 100);
const figures = (a: Alloc): ScenarioFigures => ({
  gpuHours: Number(a.gpuHours),
  gpuCents: cents(a.gpuCost),
  cpuCents: cents(a.cpuCost),
  ramCents: cents(a.ramCost),
  pvCents: cents(a.pvCost),
  totalCents: cents(a.totalCost),
});
const sum = (set: Record<string, Alloc>, field: string) => Object.values(set).reduce((s, a) => s + Number(a[field]), 0);
const JAN = "window=2026-01-01T00:00:00Z,2026-02-01T00:00:00Z";

describe("allocation over the January 2026 scenario", () => {
  it("matches the hand-written figures per tenant and idle, to the cent", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true`);
    expect(Object.keys(set!).sort()).toEqual(["__idle__", "acme", "globex", "initech"]);
    for (const t of SCENARIO_TENANTS) expect(figures(set![t]!)).toEqual(JANUARY_2026.tenants[t]);
    expect(figures(set!.__idle__!)).toEqual(JANUARY_2026.idle);
    // the arithmetic in scenario.ts agrees with the hand-written constants
    const expected = scenarioExpectations("2026-01");
    expect(expected.tenants).toEqual(JANUARY_2026.tenants);
    expect(expected.cluster).toEqual(JANUARY_2026.cluster);
  });

  it("reconciles: tenants + idle = cluster total (aggregate=cluster)", () => {
    const [byNs] = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true`);
    const [byCluster] = query(scenario(), `${JAN}&aggregate=cluster&includeIdle=true`);
    const cluster = byCluster!.sandbox!;
    expect(cents(sum(byNs!, "totalCost"))).toBe(JANUARY_2026.cluster.totalCents);
    expect(cents(Number(cluster.totalCost) + Number(byCluster!.__idle__!.totalCost))).toBe(JANUARY_2026.cluster.totalCents);
    expect(sum(byNs!, "gpuHours")).toBe(JANUARY_2026.cluster.gpuHours);
  });

  it("without includeIdle leaves idle out", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=namespace`);
    expect(Object.keys(set!).sort()).toEqual(["acme", "globex", "initech"]);
  });

  it("idleByNode reports one idle entry per node", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true&idleByNode=true`);
    const expected = scenarioExpectations("2026-01");
    expect(figures(set!["gpu-l4-0/__idle__"]!)).toEqual(expected.idleByNode["gpu-l4-0"]);
    expect(figures(set!["gpu-l4-1/__idle__"]!)).toEqual(expected.idleByNode["gpu-l4-1"]);
    expect(set!.__idle__).toBeUndefined();
  });

  it("shareIdle distributes idle in proportion to each resource's cost, cluster-wide", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true&shareIdle=true`);
    expect(set!.__idle__).toBeUndefined();
    const t = JANUARY_2026.tenants;
    const totalGpu = t.acme.gpuCents + t.globex.gpuCents + t.initech.gpuCents;
    const share = JANUARY_2026.idle.gpuCents * (t.acme.gpuCents / totalGpu);
    expect(Number(set!.acme!.gpuCost) * 100).toBeCloseTo(t.acme.gpuCents + share, 3);
    expect(Number(set!.acme!.gpuHours)).toBe(t.acme.gpuHours); // hours are not shared, only cost
    expect(cents(sum(set!, "totalCost"))).toBe(JANUARY_2026.cluster.totalCents);
  });

  it("shareIdle with idleByNode shares each node's idle among that node's pods only", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=namespace&shareIdle=true&idleByNode=true`);
    const e = scenarioExpectations("2026-01");
    // gpu-l4-1 hosts acme's 12 h replica, globex (50 h) and initech (768 GPU-h): 830 GPU-h
    const globexGpu = 50 * 80 + e.idleByNode["gpu-l4-1"]!.gpuCents * (50 / 830);
    expect(Number(set!.globex!.gpuCost) * 100).toBeCloseTo(globexGpu, 3);
    expect(cents(sum(set!, "totalCost"))).toBe(JANUARY_2026.cluster.totalCents);
  });

  it("step=1d returns 31 daily sets that add up to the month", () => {
    const sets = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true&step=1d`);
    expect(sets).toHaveLength(31);
    const day16 = sets[15]!;
    expect((day16.initech!.window as { start: string }).start).toBe("2026-01-16T00:00:00Z");
    expect(Number(day16.initech!.gpuHours)).toBe(48);
    expect(sets[14]!.initech).toBeUndefined(); // created mid-month: nothing before the 16th
    const total = sets.reduce((s, set) => s + sum(set, "totalCost"), 0);
    expect(Math.round(total * 100)).toBe(JANUARY_2026.cluster.totalCents);
  });

  it("accumulate=true folds the daily sets into one equal to the month", () => {
    const [acc, ...rest] = query(scenario(), `${JAN}&aggregate=namespace&includeIdle=true&step=1d&accumulate=true`);
    expect(rest).toHaveLength(0);
    for (const t of SCENARIO_TENANTS) expect(figures(acc![t]!)).toEqual(JANUARY_2026.tenants[t]);
    expect(acc!.acme!.window).toEqual({ start: "2026-01-01T00:00:00Z", end: "2026-02-01T00:00:00Z" });
  });

  it("splits the replica that runs across the month's end at UTC midnight", () => {
    const sets = query(scenario(), "window=2026-01-31T00:00:00Z,2026-02-02T00:00:00Z&aggregate=pod&step=1d");
    const pod = "qwen-chat-6d4cf56db6-m9w4t";
    expect(Number(sets[0]![pod]!.gpuHours)).toBe(12);
    expect(Number(sets[1]![pod]!.gpuHours)).toBe(12);
    expect(sets[0]![pod]!.start).toBe("2026-01-31T12:00:00Z");
    expect(sets[1]![pod]!.end).toBe("2026-02-01T12:00:00Z");
  });

  it("reports GPU fields per pod with OpenCost's averages", () => {
    const [set] = query(scenario(), `${JAN}&aggregate=pod`);
    const initech = set!["mistral-7b-84f6b7c9d-t6y1u"]!;
    expect(initech.gpuCount).toBe(2);
    expect(initech.minutes).toBe(16 * 24 * 60);
    expect(initech.cpuCores).toBe(8);
    expect(initech.properties).toMatchObject({ namespace: "initech", node: "gpu-l4-1", controller: "mistral-7b", controllerKind: "deployment" });
  });

  it("aggregates by controller, by label, and by comma lists", () => {
    const [byCtl] = query(scenario(), `${JAN}&aggregate=controller`);
    expect(Number(byCtl!["qwen-chat"]!.gpuHours)).toBe(252);
    const [byLabel] = query(scenario(), `${JAN}&aggregate=namespace,label:app`);
    expect(Object.keys(byLabel!).sort()).toEqual(["acme/app=llama-8b", "acme/app=qwen-chat", "globex/app=qwen-support", "initech/app=mistral-7b"]);
    const [missing] = query(scenario(), `${JAN}&aggregate=label:cost-center`);
    expect(Object.keys(missing!)).toEqual(["__unallocated__"]);
  });

  it("filters by namespace without changing the tenant's shared idle", () => {
    const [all] = query(scenario(), `${JAN}&aggregate=namespace&shareIdle=true`);
    const [only] = query(scenario(), `${JAN}&aggregate=namespace&shareIdle=true&filter=namespace:"globex"`);
    expect(Object.keys(only!)).toEqual(["globex"]);
    expect(only!.globex!.totalCost).toBe(all!.globex!.totalCost);
  });
});

describe("other months", () => {
  it.each([
    ["2026-04", 30],
    ["2026-02", 28],
    ["2028-02", 29],
  ])("%s (%i days): the engine agrees with the scenario's arithmetic and reconciles", (month, days) => {
    const h = new ClusterHistory(() => NOW + 1000 * 24 * HOUR);
    loadScenario(h, { month });
    const e = scenarioExpectations(month);
    expect(e.tenants.initech.gpuHours).toBe((days - 15) * 24 * 2);
    const w = `window=${e.window.start.toISOString().replace(".000", "")},${e.window.end.toISOString().replace(".000", "")}`;
    const [set] = query(h, `${w}&aggregate=namespace&includeIdle=true`, NOW + 1000 * 24 * HOUR);
    for (const t of SCENARIO_TENANTS) expect(figures(set![t]!)).toEqual(e.tenants[t]);
    expect(figures(set!.__idle__!)).toEqual(e.idle);
    expect(cents(sum(set!, "totalCost"))).toBe(e.cluster.totalCents);
  });
});

describe("open intervals and the clock", () => {
  it("an open interval lasts until now and no further", () => {
    let now = T("2026-05-10T10:00:00Z");
    const h = new ClusterHistory(() => now);
    h.addNode({ node: "n", gpuType: "L4", gpuCount: 8, cpuCores: 0, ramBytes: 0, start: T("2026-05-10T00:00:00Z") });
    h.addPod({ namespace: "acme", pod: "p", node: "n", gpus: 2, cpuCores: 0, ramBytes: 0, start: T("2026-05-10T04:00:00Z") });
    const q: AllocationQuery = { ...parseAllocationQuery(new URLSearchParams("window=today&aggregate=namespace&includeIdle=true"), now) };
    let [set] = computeAllocation(h, DEFAULT_PRICES, q, now) as Array<Record<string, Alloc>>;
    expect(set!.acme!.gpuHours).toBe(12);
    expect(set!.__idle__!.gpuHours).toBe(8 * 10 - 12);
    now += 2 * HOUR;
    [set] = computeAllocation(h, DEFAULT_PRICES, q, now) as Array<Record<string, Alloc>>;
    expect(set!.acme!.gpuHours).toBe(16);
  });
});

describe("window grammar (UTC)", () => {
  const now = T("2026-01-14T15:30:00Z"); // a Wednesday
  const w = (s: string) => {
    const { start, end } = parseWindow(s, now);
    return [new Date(start).toISOString(), new Date(end).toISOString()];
  };
  it.each([
    ["today", "2026-01-14T00:00:00.000Z", "2026-01-15T00:00:00.000Z"],
    ["yesterday", "2026-01-13T00:00:00.000Z", "2026-01-14T00:00:00.000Z"],
    ["week", "2026-01-11T00:00:00.000Z", "2026-01-14T15:30:00.000Z"],
    ["lastweek", "2026-01-04T00:00:00.000Z", "2026-01-11T00:00:00.000Z"],
    ["month", "2026-01-01T00:00:00.000Z", "2026-01-14T15:30:00.000Z"],
    ["lastmonth", "2025-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"],
    ["7d", "2026-01-08T00:00:00.000Z", "2026-01-15T00:00:00.000Z"],
    ["2h", "2026-01-14T14:00:00.000Z", "2026-01-14T16:00:00.000Z"],
    ["1w", "2026-01-08T00:00:00.000Z", "2026-01-15T00:00:00.000Z"],
    ["1767225600,1767312000", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"],
    ["2025-12-31T23:00:00Z,2026-01-01T01:00:00Z", "2025-12-31T23:00:00.000Z", "2026-01-01T01:00:00.000Z"],
  ])("%s", (text, start, end) => {
    expect(w(text)).toEqual([start, end]);
  });

  it.each(["", "yesterweek", "7y", "2026-02-30T00:00:00Z,2026-03-01T00:00:00Z", "2026-01-02T00:00:00Z,2026-01-01T00:00:00Z", "2026-01-01T00:00:00+01:00,2026-01-02T00:00:00Z", "1,1"])(
    "refuses %j",
    (text) => {
      expect(() => parseWindow(text, now)).toThrow(ParamError);
    },
  );
});

describe("query parameters", () => {
  const bad = (qs: string) => () => parseAllocationQuery(new URLSearchParams(qs), NOW);
  it("refuses what it cannot honour, with OpenCost's messages", () => {
    expect(bad("aggregate=namespace")).toThrow("Invalid 'window' parameter: illegal window: ");
    expect(bad("window=7d&aggregate=service")).toThrow("Invalid 'aggregate' parameter");
    expect(bad("window=7d&step=banana")).toThrow("Invalid 'step' parameter");
    expect(bad("window=lastmonth&step=1m")).toThrow("more than");
    expect(bad("window=7d&shareIdle=yes")).toThrow("Invalid 'shareIdle' parameter");
    expect(bad("window=7d&accumulate=fortnight")).toThrow("Invalid 'accumulate' parameter");
    expect(bad('window=7d&filter=namespace:"a"+bogus:"b"')).toThrow("Invalid filter");
    expect(bad("window=7d&filter=namespace:acme")).toThrow("Invalid filter");
  });
  it("accepts strconv.ParseBool spellings and the older idle flag", () => {
    const q = parseAllocationQuery(new URLSearchParams("window=7d&idle=1&shareIdle=True&idleByNode=f&accumulate=true"), NOW);
    expect([q.includeIdle, q.shareIdle, q.idleByNode, q.accumulate]).toEqual([true, true, false, true]);
  });
});
