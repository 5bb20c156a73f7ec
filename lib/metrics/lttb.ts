/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the shape a chart shows
 * (peaks and troughs survive, unlike averaging or every-nth sampling) at a fraction of the points.
 * Gaps (null values) are kept: each run of values is downsampled on its own and a single null
 * marks each gap, so a chart never draws a line across missing data.
 */
export type Point = [number, number | null];

export function lttb(points: readonly Point[], threshold: number): Point[] {
  const limit = Math.max(2, Math.floor(threshold));
  if (points.length <= limit) return points.slice();
  const runs: Point[][] = [];
  let gaps = 0;
  let current: Point[] = [];
  let inGap = false;
  for (const point of points) {
    if (point[1] === null) {
      if (current.length) runs.push(current);
      current = [];
      if (!inGap) {
        runs.push([point]);
        gaps++;
      }
      inGap = true;
    } else {
      current.push(point);
      inGap = false;
    }
  }
  if (current.length) runs.push(current);
  const valueRuns = runs.filter((run) => run[0]![1] !== null);
  const budget = limit - gaps;
  const minimum = valueRuns.reduce((sum, run) => sum + Math.min(run.length, 2), 0);
  if (budget < minimum) return bucketExtremes(points, limit);
  const total = valueRuns.reduce((sum, run) => sum + run.length, 0);
  const out: Point[] = [];
  let spare = budget - minimum;
  for (const run of runs) {
    if (run[0]![1] === null) {
      out.push(run[0]!);
      continue;
    }
    const base = Math.min(run.length, 2);
    const extra = Math.min(run.length - base, Math.floor(((budget - minimum) * run.length) / total), spare);
    spare -= extra;
    out.push(...downsampleRun(run, base + extra));
  }
  return out;
}

/** Classic LTTB on a run without gaps. */
function downsampleRun(run: readonly Point[], threshold: number): Point[] {
  if (threshold >= run.length) return run.slice();
  if (threshold <= 1) return [run[0]!];
  if (threshold === 2) return [run[0]!, run[run.length - 1]!];
  const out: Point[] = [run[0]!];
  const every = (run.length - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, run.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += run[j]![0];
      avgY += run[j]![1]!;
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const [ax, ay] = run[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (run[j]![1]! - ay!) - (ax - run[j]![0]) * (avgY - ay!));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(run[best]!);
    a = best;
  }
  out.push(run[run.length - 1]!);
  return out;
}

/**
 * Fallback for series so fragmented that every gap and run end cannot fit: one point per
 * bucket, the largest |value| in it (peaks survive), null when the bucket has no value.
 */
function bucketExtremes(points: readonly Point[], limit: number): Point[] {
  const out: Point[] = [];
  const size = points.length / limit;
  for (let b = 0; b < limit; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    let best: Point | undefined;
    for (const p of slice) if (p[1] !== null && (!best || Math.abs(p[1]) > Math.abs(best[1]!))) best = p;
    if (slice.length) out.push(best ?? slice[0]!);
  }
  out[0] = points[0]!;
  out[out.length - 1] = points[points.length - 1]!;
  return out;
}
