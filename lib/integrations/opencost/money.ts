/**
 * OpenCost speaks float dollars with six decimals. The portal converts once, here, to integer
 * micro-dollars (1 USD = 1 000 000), rounding half away from zero — the same rule as
 * `lib/money/cents.ts`, one step finer. At six decimals this is lossless for what OpenCost sends,
 * so sums of micro-dollars are exact; round to cents once, at the end (`microsToCents`), not per
 * allocation, or tenants + idle would drift from the cluster total by a cent here and there.
 */
export function dollarsToMicros(dollars: number): number {
  if (!Number.isFinite(dollars)) throw new RangeError(`not a finite amount: ${dollars}`);
  const micros = Math.sign(dollars) * Math.round(Math.abs(dollars) * 1_000_000);
  return micros === 0 ? 0 : micros; // no negative zero
}

/** Micro-dollars → cents, half away from zero (the portal's one rounding rule). */
export function microsToCents(micros: number): number {
  if (!Number.isInteger(micros)) throw new RangeError(`micro-dollars must be an integer: ${micros}`);
  const cents = Math.sign(micros) * Math.floor((Math.abs(micros) + 5_000) / 10_000);
  return cents === 0 ? 0 : cents;
}
