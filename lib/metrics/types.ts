/**
 * The shapes the dashboards, API routes and charts build on. Everything a page needs to draw a
 * panel is here; PromQL never leaves the server except in the platform-admin Explore view.
 */
export type DashboardId = "fleet" | "model" | "tenant";

export type Unit =
  | "percent"
  | "ratio"
  | "seconds"
  | "tokens/s"
  | "req/s"
  | "watts"
  | "celsius"
  | "mebibytes"
  | "count"
  | "replicas";

export interface PanelDef {
  id: string;
  title: string;
  /** What it shows, how it is computed, and its caveats: shown to the user as the panel's help. */
  description: string;
  unit: Unit;
  kind: "timeseries" | "stat";
  group: string;
  /** Set on dual-axis panels (the scaling signal): series with `axis: "right"` use this unit. */
  secondaryUnit?: Unit;
}

export interface DashboardDef {
  id: DashboardId;
  title: string;
  panels: PanelDef[];
}

/** Unix seconds. */
export interface TimeRange {
  start: number;
  end: number;
}

export interface Series {
  /** Stable across refreshes (sorted label pairs): use it as the React key and colour seed. */
  key: string;
  label: string;
  labels: Record<string, string>;
  axis?: "left" | "right";
  /** [unix seconds, value]; null marks a gap (no sample at that step), never a zero. */
  points: Array<[number, number | null]>;
}

export interface PanelData {
  panelId: string;
  unit: Unit;
  step: number;
  series: Series[];
  stat?: number | null;
  warnings: string[];
  markers?: Array<{ time: number; label: string; kind: "autoscale" }>;
}

export type Scope = { kind: "platform" } | { kind: "tenant"; tenant: string; namespaces: string[] };

export interface PanelParams {
  namespace?: string;
  deployment?: string;
  model?: string;
  ttftSloMs?: number;
  itlSloMs?: number;
}

export interface RunPanelInput {
  dashboard: DashboardId;
  panelId: string;
  scope: Scope;
  params: PanelParams;
  range: TimeRange;
  widthPx: number;
  signal?: AbortSignal;
}

export interface RunDashboardInput {
  dashboard: DashboardId;
  scope: Scope;
  params: PanelParams;
  range: TimeRange;
  widthPx: number;
  /** Only these panels (ids); all of the dashboard's panels when omitted. */
  panels?: string[];
}

export type PanelResult = { panelId: string; data?: PanelData; error?: { kind: string; message: string } };

export interface DeploymentRef {
  namespace: string;
  deployment: string;
  model: string;
}
