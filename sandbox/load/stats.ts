/** Counters and latency samples of a load run, read as a window (since the last report) and in total. */

export interface LoadWindow {
  seconds: number;
  requests: number;
  ok: number;
  errors: number;
  /** Error counts by HTTP status or "network". */
  errorsBy: Record<string, number>;
  ttftP50Ms: number | undefined;
  ttftP95Ms: number | undefined;
  outputTokens: number;
  inFlight: number;
}

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export class LoadStats {
  inFlight = 0;
  private windowStart = performance.now();
  private readonly totalStart = performance.now();
  private window = LoadStats.empty();
  private readonly total = LoadStats.empty();

  private static empty() {
    return { ok: 0, errors: 0, errorsBy: {} as Record<string, number>, ttft: [] as number[], outputTokens: 0 };
  }

  success(ttftMs: number | undefined, outputTokens: number): void {
    for (const w of [this.window, this.total]) {
      w.ok++;
      w.outputTokens += outputTokens;
      if (ttftMs !== undefined) w.ttft.push(ttftMs);
    }
  }

  failure(kind: string): void {
    for (const w of [this.window, this.total]) {
      w.errors++;
      w.errorsBy[kind] = (w.errorsBy[kind] ?? 0) + 1;
    }
  }

  private view(w: ReturnType<typeof LoadStats.empty>, seconds: number): LoadWindow {
    const ttft = [...w.ttft].sort((a, b) => a - b);
    return {
      seconds,
      requests: w.ok + w.errors,
      ok: w.ok,
      errors: w.errors,
      errorsBy: { ...w.errorsBy },
      ttftP50Ms: percentile(ttft, 50),
      ttftP95Ms: percentile(ttft, 95),
      outputTokens: w.outputTokens,
      inFlight: this.inFlight,
    };
  }

  /** The window since the previous call; starts a new one. */
  takeWindow(): LoadWindow {
    const now = performance.now();
    const view = this.view(this.window, (now - this.windowStart) / 1000);
    this.window = LoadStats.empty();
    this.windowStart = now;
    return view;
  }

  summary(): LoadWindow {
    return this.view(this.total, (performance.now() - this.totalStart) / 1000);
  }
}

export function formatWindow(label: string, w: LoadWindow): string {
  const rate = w.seconds > 0 ? (w.requests / w.seconds).toFixed(1) : "0.0";
  const tps = w.seconds > 0 ? Math.round(w.outputTokens / w.seconds) : 0;
  const ms = (v: number | undefined) => (v === undefined ? "-" : `${Math.round(v)} ms`);
  const errs = Object.entries(w.errorsBy).map(([k, n]) => `${k}×${n}`).join(" ");
  return `${label} ${rate} req/s  ok ${w.ok}  errors ${w.errors}${errs ? ` (${errs})` : ""}  TTFT p50 ${ms(w.ttftP50Ms)} p95 ${ms(w.ttftP95Ms)}  ${tps} tok/s  in flight ${w.inFlight}`;
}
