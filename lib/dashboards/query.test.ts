import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { parseDashboardQuery, parseExploreQuery } from "./query";

const NOW = 1_755_684_000;
const q = (s: string) => new URLSearchParams(s);

function fieldsOf(work: () => unknown): Record<string, string[]> | undefined {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    return (error as AppError).fields;
  }
  throw new Error("expected a validation error");
}

describe("parseDashboardQuery", () => {
  it("defaults: the last hour, 800 px", () => {
    expect(parseDashboardQuery(q(""), NOW)).toEqual({
      selection: { kind: "preset", preset: "1h" },
      range: { start: NOW - 3600, end: NOW },
      widthPx: 800,
    });
  });

  it("reads a preset, the panel parameters and the width", () => {
    const parsed = parseDashboardQuery(q("range=24h&width=1200&namespace=team-a&deployment=chat&ttftSloMs=250&itlSloMs=40"), NOW);
    expect(parsed).toEqual({
      selection: { kind: "preset", preset: "24h" },
      range: { start: NOW - 86400, end: NOW },
      widthPx: 1200,
      namespace: "team-a",
      deployment: "chat",
      ttftSloMs: 250,
      itlSloMs: 40,
    });
  });

  it("reads a custom window in either form", () => {
    const parsed = parseDashboardQuery(q(`from=${NOW - 7200}&to=2025-08-20T09:00:00Z`), NOW);
    expect(parsed.range).toEqual({ start: NOW - 7200, end: NOW - 3600 });
    expect(parsed.selection).toEqual({ kind: "custom", from: NOW - 7200, to: NOW - 3600 });
  });

  it("reads a panel subset, without duplicates", () => {
    expect(parseDashboardQuery(q("panels=scaling-signal,gpu-util,scaling-signal"), NOW).panels).toEqual(["scaling-signal", "gpu-util"]);
  });

  it("empty values count as absent", () => {
    expect(parseDashboardQuery(q("namespace=&deployment=&range="), NOW).namespace).toBeUndefined();
  });

  it.each([
    ["range=2y", "range"],
    ["width=abc", "width"],
    ["width=50", "width"],
    ["width=100000", "width"],
    ["width=800.5", "width"],
    ["namespace=Team_A", "namespace"],
    ['namespace=a"}or vector(1)', "namespace"],
    ["namespace=team-a,team-b", "namespace"],
    ["deployment=" + "a".repeat(41), "deployment"],
    ["deployment=chat%0A", "deployment"],
    ["ttftSloMs=0", "ttftSloMs"],
    ["ttftSloMs=-5", "ttftSloMs"],
    ["itlSloMs=1e9", "itlSloMs"],
    ["itlSloMs=fast", "itlSloMs"],
    ["from=yesterday&to=now", "from"],
    [`from=${NOW - 60}`, "to"],
    [`to=${NOW}`, "from"],
    [`range=custom&from=${NOW}&to=${NOW - 60}`, "to"],
    [`from=${NOW - 100 * 86400}&to=${NOW}`, "to"],
    [`from=${NOW}&to=${NOW + 86400}`, "to"],
    [`range=1h&from=${NOW - 60}&to=${NOW}`, "range"],
    ["panels=gpu-util,,x", "panels"],
    ["panels=gpu util", "panels"],
    ["panels=" + "a,".repeat(600) + "a", "panels"],
  ])("%s is refused on the field %s", (query, field) => {
    const fields = fieldsOf(() => parseDashboardQuery(q(query), NOW));
    expect(Object.keys(fields ?? {})).toContain(field);
  });
});

describe("parseExploreQuery", () => {
  it("keeps the query as written, trimmed", () => {
    const parsed = parseExploreQuery(q(`query=${encodeURIComponent('  sum(rate(vllm:request_success_total{model_name="x"}[5m]))\n')}&range=15m`), NOW);
    expect(parsed.query).toBe('sum(rate(vllm:request_success_total{model_name="x"}[5m]))');
    expect(parsed.range).toEqual({ start: NOW - 900, end: NOW });
  });

  it.each([
    ["", "query"],
    ["query=%20%20", "query"],
    [`query=${"x".repeat(10_001)}`, "query"],
    ["query=up&range=1y", "range"],
  ])("%s is refused on %s", (query, field) => {
    expect(Object.keys(fieldsOf(() => parseExploreQuery(q(query), NOW)) ?? {})).toContain(field);
  });
});
