import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import { ITL_BUCKETS, PANELS, TTFT_BUCKETS, leMatcher, sel, snapToBucket } from "./catalog";
import { getDashboard } from "./dashboards";
import { scopeQuery } from "./promql-scope";

const contexts = [
  { params: {}, rate: "1m", range: "1h" },
  { params: { namespace: "acme", deployment: "qwen", model: "Qwen/Qwen2.5-0.5B-Instruct", ttftSloMs: 300, itlSloMs: 40 }, rate: "5m", range: "1d" },
];

function parseErrors(expr: string): number {
  let errors = 0;
  parser.parse(expr).iterate({ enter: (n) => void (n.type.isError && errors++) });
  return errors;
}

function selectorNamespaces(expr: string): string[][] {
  const out: string[][] = [];
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.name !== "VectorSelector") return;
      const ns = (ref.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? [])
        .filter((m) => expr.slice(m.getChild("LabelName")!.from, m.getChild("LabelName")!.to) === "namespace")
        .map((m) => expr.slice(m.from, m.to));
      out.push(ns);
    },
  });
  return out;
}

const runnable = (panel: (typeof PANELS)[string], ctx: (typeof contexts)[number]) =>
  (panel.requires ?? []).every((key) => (ctx.params as Record<string, unknown>)[key] !== undefined);
const all = Object.values(PANELS).flatMap((panel) => contexts.filter((ctx) => runnable(panel, ctx)).flatMap((ctx) => panel.queries(ctx).map((q) => ({ panel: panel.id, ...q }))));

describe("catalog", () => {
  it.each(all.map((q) => [q.panel, q.id, q.expr] as const))("%s/%s parses", (_panel, _id, expr) => {
    expect(parseErrors(expr)).toBe(0);
  });

  it.each(all.map((q) => [q.panel, q.id, q.expr] as const))("%s/%s scoped: namespace on every selector", (_panel, _id, expr) => {
    for (const namespaces of [["acme"], ["acme", "acme-dev"]]) {
      const scoped = scopeQuery(expr, namespaces);
      const found = selectorNamespaces(scoped);
      expect(found.length).toBeGreaterThan(0);
      for (const ns of found) expect(ns).toHaveLength(1);
    }
  });

  it("uses vLLM v1 names, never the deprecated ones", () => {
    const text = all.map((q) => q.expr).join("\n");
    expect(text).not.toMatch(/gpu_cache_usage_perc|vllm:generation_tokens[^_]|time_per_output_token/);
    expect(text).toMatch(/vllm:kv_cache_usage_perc/);
    expect(text).toMatch(/DCGM_FI_DEV_GPU_UTIL/);
  });

  it("escapes parameter values into literals", () => {
    expect(sel("m", { model_name: 'a"b\\c' })).toBe('m{model_name="a\\"b\\\\c"}');
    expect(sel("m", {})).toBe("m");
  });

  it("snaps SLO thresholds to the nearest bucket boundary", () => {
    expect(snapToBucket(0.3, TTFT_BUCKETS)).toBe(0.25);
    expect(snapToBucket(0.5, TTFT_BUCKETS)).toBe(0.5);
    expect(snapToBucket(0.04, ITL_BUCKETS)).toBe(0.05);
    expect(snapToBucket(9999, TTFT_BUCKETS)).toBe(2560);
    expect(leMatcher(1)).toBe('le=~"^(?:1|1\\\\.0)$"');
    expect(leMatcher(0.25)).toBe('le=~"^(?:0\\\\.25)$"');
    expect(PANELS["slo-ttft"]!.note!({ ttftSloMs: 300 })).toMatch(/snapped to the nearest histogram bucket boundary, 250 ms/);
    expect(PANELS["slo-ttft"]!.note!({ ttftSloMs: 500 })).toBeUndefined();
    expect(PANELS["slo-ttft"]!.description).toMatch(/snapped/);
  });

  it("dashboards: fleet has at least 12 panels, every panel is described, the scaling signal has two axes", () => {
    const fleet = getDashboard("fleet");
    expect(fleet.panels.length).toBeGreaterThanOrEqual(12);
    for (const id of ["fleet", "model", "tenant"] as const) {
      for (const panel of getDashboard(id).panels) expect(panel.description.length).toBeGreaterThan(40);
    }
    const model = getDashboard("model");
    expect(model.panels.filter((p) => p.kind === "stat").map((p) => p.id)).toEqual(expect.arrayContaining(["slo-ttft", "slo-itl"]));
    const signal = model.panels.find((p) => p.id === "scaling-signal")!;
    expect(signal.secondaryUnit).toBe("count");
    const axes = PANELS["scaling-signal"]!.queries(contexts[1]!).map((q) => q.axis);
    expect(axes).toEqual(["left", "right"]);
  });
});
