/** mulberry32: a small seeded PRNG, so a run's arrivals and prompts are reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Poisson arrival offsets (ms from the segment start) for `count` requests at `rate` req/s:
 * exponential gaps, scaled so the last arrival lands exactly at count / rate. That is the
 * Poisson process conditioned on its count, so the achieved rate measures the runner, not the
 * sampling noise of a short step.
 */
export function poissonArrivals(count: number, rate: number, random: () => number): Float64Array {
  const out = new Float64Array(count);
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - random());
    out[i] = t;
  }
  const scale = count > 0 ? (count / rate) * 1000 / t : 0;
  for (let i = 0; i < count; i++) out[i] = out[i]! * scale;
  return out;
}
