import { PANELS, type CatalogPanel } from "./catalog";
import { MetricsParamError } from "./errors";
import type { DashboardDef, DashboardId, PanelDef } from "./types";

/** Which catalog panels each dashboard shows, in order. */
const LAYOUT: Record<DashboardId, { title: string; panels: string[] }> = {
  fleet: {
    title: "Fleet",
    panels: [
      "output-tokens", "prompt-tokens", "requests", "errors", "running", "waiting", "kv-cache",
      "ttft", "itl", "e2e", "ttft-p95-by-model", "tokens-by-tenant",
      "gpu-util", "gpu-memory", "gpu-power", "gpu-temp", "replicas-fleet",
    ],
  },
  model: {
    title: "Model deployment",
    panels: [
      "slo-ttft", "slo-itl", "requests-total", "tokens-total",
      "output-tokens", "requests", "errors", "running", "waiting", "kv-cache", "ttft", "itl", "e2e",
      "replicas", "scaling-signal", "gpu-util", "gpu-memory",
    ],
  },
  tenant: {
    title: "Tenant usage",
    panels: [
      "tokens-total", "requests-total", "slo-ttft",
      "output-tokens", "prompt-tokens", "requests", "errors", "ttft-p95-by-model", "e2e", "running", "waiting",
    ],
  },
};

const toDef = ({ id, title, description, unit, kind, group, secondaryUnit }: CatalogPanel): PanelDef => ({
  id, title, description, unit, kind, group, ...(secondaryUnit ? { secondaryUnit } : {}),
});

export function getDashboard(id: DashboardId): DashboardDef {
  const layout = LAYOUT[id];
  if (!layout) throw new MetricsParamError("dashboard", "unknown dashboard");
  return { id, title: layout.title, panels: layout.panels.map((panelId) => toDef(PANELS[panelId]!)) };
}

/** The catalog panel of a dashboard, or a field error: a panel of another dashboard is unknown here. */
export function dashboardPanel(dashboard: DashboardId, panelId: string): CatalogPanel {
  const layout = LAYOUT[dashboard];
  if (!layout || !layout.panels.includes(panelId)) throw new MetricsParamError("panelId", `unknown panel ${JSON.stringify(panelId.slice(0, 60))}`);
  return PANELS[panelId]!;
}
