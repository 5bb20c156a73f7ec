/** "90s", "5m", "1h", "250ms" or a bare number of seconds → milliseconds; undefined when not one. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  const ms = n * unit;
  return ms > 0 && ms <= 7 * 24 * 3_600_000 ? ms : undefined;
}
