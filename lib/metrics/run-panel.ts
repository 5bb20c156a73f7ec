import type { DeploymentRef, PanelData, PanelResult, RunDashboardInput, RunPanelInput, Scope, TimeRange } from "./types";

/** Stub (interface for the pages): runs one panel, tenant-scoped when the scope says so. */
export async function runPanel(input: RunPanelInput): Promise<PanelData> {
  throw new Error(`runPanel(${input.panelId}) not implemented yet`);
}

export async function runDashboard(input: RunDashboardInput): Promise<PanelResult[]> {
  return (input.panels ?? []).map((panelId) => ({ panelId, error: { kind: "unexpected", message: "not implemented yet" } }));
}

export async function runExplore(input: { query: string; range: TimeRange; widthPx: number; signal?: AbortSignal }): Promise<PanelData> {
  throw new Error(`runExplore not implemented yet (${input.query.length} chars)`);
}

export async function listDeployments(scope: Scope, range?: TimeRange): Promise<DeploymentRef[]> {
  void scope;
  void range;
  return [];
}
