/**
 * Compact per-request samples, so that percentiles can be recomputed later (e.g. with a new
 * SLO) without keeping every token timestamp: 8 float32 per request (32 bytes), plus one
 * log-bucket histogram of inter-token gaps per step (1% relative precision).
 */
export const SAMPLE_FIELDS = ["sendOffsetMs", "ttftMs", "e2eMs", "promptTokens", "outputTokens", "tpotMs", "schedulingDelayMs", "error"] as const;
export type Sample = Record<(typeof SAMPLE_FIELDS)[number], number>;
const WIDTH = SAMPLE_FIELDS.length;

export function packSamples(samples: readonly Sample[]): Uint8Array<ArrayBuffer> {
  const out = new Float32Array(samples.length * WIDTH);
  samples.forEach((s, i) => SAMPLE_FIELDS.forEach((f, j) => (out[i * WIDTH + j] = s[f])));
  return new Uint8Array(out.buffer);
}

export function unpackSamples(bytes: Uint8Array): Sample[] {
  if (bytes.byteLength % (WIDTH * 4) !== 0) throw new Error("Sample blob has a partial row");
  // Copy: a Buffer from the driver may sit at an offset that is not 4-byte aligned.
  const floats = new Float32Array(Uint8Array.from(bytes).buffer);
  const rows: Sample[] = [];
  for (let i = 0; i < floats.length; i += WIDTH) {
    rows.push(Object.fromEntries(SAMPLE_FIELDS.map((f, j) => [f, floats[i + j]!])) as Sample);
  }
  return rows;
}

const LOG_STEP = Math.log(1.01);
const FLOOR_MS = 0.001;

/** Sparse histogram: bucket index → count; bucket i holds values near 1.01^i ms. */
export type LogHistogram = Record<string, number>;

export function addToHistogram(h: LogHistogram, valueMs: number): void {
  const key = String(Math.round(Math.log(Math.max(valueMs, FLOOR_MS)) / LOG_STEP));
  h[key] = (h[key] ?? 0) + 1;
}

export function histogramPercentile(h: LogHistogram, p: number): number | null {
  const buckets = Object.entries(h).map(([k, n]) => [Number(k), n] as const).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const target = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [k, n] of buckets) {
    seen += n;
    if (seen >= target) return Math.exp(k * LOG_STEP);
  }
  return Math.exp(buckets[buckets.length - 1]![0] * LOG_STEP);
}
