/**
 * Minimal Prometheus text exposition (format 0.0.4) shaped like Python's prometheus_client,
 * which vLLM uses: floats print as `1.0`, counters are exposed under their `_total` family
 * name, histograms as `_bucket`/`_count`/`_sum`. No `_created` series (vLLM's captured
 * family list has none).
 */

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** Suffix appended to the family name (`_bucket`, `_sum`, ...), or "" for the family itself. */
  suffix: string;
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help: string;
  samples: Sample[];
}

/** Python's float repr for the values vLLM exposes: integers get `.0`, infinities `+Inf`. */
export function pyFloat(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value).replace(/e([+-])(\d)$/, "e$10$2");
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function renderLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** Renders families; families with the same name (e.g. from several models) are merged. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  const merged = new Map<string, MetricFamily>();
  for (const family of families) {
    const existing = merged.get(family.name);
    if (existing) existing.samples.push(...family.samples);
    else merged.set(family.name, { ...family, samples: [...family.samples] });
  }
  const lines: string[] = [];
  for (const family of merged.values()) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples) lines.push(`${family.name}${s.suffix}${renderLabels(s.labels)} ${pyFloat(s.value)}`);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** A cumulative histogram with fixed upper bounds, like prometheus_client's. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    // Bounds are short (≤ 25) and ascending: a linear scan is cheaper than bookkeeping.
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  samples(labels: Labels): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += this.counts[i]!;
      out.push({ suffix: "_bucket", labels: { ...labels, le: pyFloat(le) }, value: cumulative });
    });
    out.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: this.count });
    out.push({ suffix: "_count", labels, value: this.count });
    out.push({ suffix: "_sum", labels, value: this.sum });
    return out;
  }
}

/** vLLM's build_1_2_5_buckets(max_model_len): 1, 2, 5, 10, 20, 50, ... up to the limit. */
export function buckets125(max: number): number[] {
  const out: number[] = [];
  for (let exponent = 1; ; exponent *= 10) {
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * exponent;
      if (value > max) return out;
      out.push(value);
    }
  }
}
