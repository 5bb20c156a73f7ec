/**
 * What a run's stored configuration may show to its readers: the workload, never the endpoint
 * URL (the portal's internal gateway or a platform admin's direct URL) nor the caller's limits.
 */
export function publicConfig(config: unknown): Record<string, unknown> {
  if (!config || typeof config !== "object") return {};
  const c = config as { runner?: Record<string, unknown> } & Record<string, unknown>;
  const source = c.runner && typeof c.runner === "object" ? c.runner : c;
  const picked: Record<string, unknown> = {};
  for (const key of ["model", "api", "sweep", "step", "warmup", "lengths", "slo", "seed", "published", "tool", "note"]) {
    if (key in source) picked[key] = source[key];
  }
  return picked;
}

/** A run row with its configuration reduced to what readers may see. */
export function publicRun<T extends { config: unknown }>(run: T): Omit<T, "config"> & { config: Record<string, unknown> } {
  return { ...run, config: publicConfig(run.config) };
}
