import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PanelDef, PanelResult } from "@/lib/metrics/types";
import { EMPTY_MESSAGE, Panel } from "./panel";
import { PrometheusBanner } from "./prometheus-banner";
import { SloTile } from "./slo-tile";

// The attributes the Playwright journeys select on: renamed here, the journeys break.
const DEF: PanelDef = { id: "ttft", title: "Time to first token", description: "p50/p95", unit: "seconds", kind: "timeseries", group: "Latency" };
const range = { start: 0, end: 3600 };
const render = (result: PanelResult | undefined) => renderToStaticMarkup(createElement(Panel, { def: DEF, result, range }));

describe("panel test hooks", () => {
  it("loading, empty and error are told apart", () => {
    expect(render(undefined)).toContain('data-state="loading"');
    const empty = render({ panelId: "ttft", data: { panelId: "ttft", unit: "seconds", step: 15, series: [], warnings: [] } });
    expect(empty).toContain('data-testid="panel-ttft"');
    expect(empty).toContain('data-state="empty"');
    expect(empty).toContain(EMPTY_MESSAGE);
    const error = render({ panelId: "ttft", error: { kind: "execution", message: '<img src=x onerror="alert(1)">' } });
    expect(error).toContain('data-state="error"');
    // Prometheus' message is shown, escaped.
    expect(error).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(error).not.toContain("<img");
  });

  it("a panel is a section labelled by its heading", () => {
    const html = render(undefined);
    const id = /aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toMatch(new RegExp(`<h3[^>]* id="${id}">Time to first token</h3>`));
  });

  it("SLO tiles carry their test id, state and level", () => {
    const tile = (stat: number | null) =>
      renderToStaticMarkup(
        createElement(SloTile, {
          testId: "slo-tile-ttft",
          title: "TTFT",
          threshold: "TTFT ≤ 200 ms",
          objective: 0.99,
          result: { panelId: "slo-ttft", data: { panelId: "slo-ttft", unit: "ratio", step: 60, series: [], warnings: [], stat } },
        }),
      );
    expect(tile(0.995)).toMatch(/data-testid="slo-tile-ttft" data-state="ok" data-level="good"/);
    expect(tile(0.9)).toMatch(/data-state="ok" data-level="bad"/);
    expect(tile(0.9)).toContain("90%");
    expect(tile(null)).toMatch(/data-state="empty" data-level="unknown"/);
  });

  it("the banner has its test id", () => {
    expect(renderToStaticMarkup(createElement(PrometheusBanner, { message: "down" }))).toContain('data-testid="prometheus-banner"');
  });
});
