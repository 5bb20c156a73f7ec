"use client";

import type { PanelDef, PanelResult } from "@/lib/metrics/types";
import { Panel } from "./panel";
import type { ChartMarker } from "./time-series-chart";

type Props = {
  panels: PanelDef[];
  results: PanelResult[] | undefined;
  range: { start: number; end: number } | undefined;
  /** Per-panel extras (the scaling-signal explanation, "went live" markers). */
  extras?: (def: PanelDef) => { note?: React.ReactNode; markers?: ChartMarker[] } | undefined;
  /** Ref of the grid, measured to size the query's step (two columns from 900 px). */
  gridRef?: (node: HTMLDivElement | null) => void;
};

/** Columns the grid has at a container width: keep in step with the `min-[900px]:grid-cols-2` below. */
export function gridColumns(containerWidth: number): number {
  return containerWidth >= 900 ? 2 : 1;
}

/** Groups in the order the dashboard defines them, one headed section each. */
export function groupPanels(panels: PanelDef[]): Array<{ group: string; panels: PanelDef[] }> {
  const groups = new Map<string, PanelDef[]>();
  for (const panel of panels) groups.set(panel.group, [...(groups.get(panel.group) ?? []), panel]);
  return [...groups].map(([group, list]) => ({ group, panels: list }));
}

export function DashboardGrid({ panels, results, range, extras, gridRef }: Props) {
  const byId = new Map((results ?? []).map((r) => [r.panelId, r]));
  return (
    <div ref={gridRef} className="grid gap-8">
      {groupPanels(panels).map(({ group, panels: list }) => (
        <section key={group} aria-label={group} className="grid gap-3">
          <h2 className="text-lg font-semibold tracking-tight">{group}</h2>
          <div className="grid gap-4 min-[900px]:grid-cols-2">
            {list.map((def) => {
              const extra = extras?.(def);
              return (
                <Panel
                  key={def.id}
                  def={def}
                  result={byId.get(def.id)}
                  range={range}
                  note={extra?.note}
                  extraMarkers={extra?.markers}
                />
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}
