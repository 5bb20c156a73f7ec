/**
 * The cost domain's money rule, in one place:
 * - Infrastructure cost (OpenCost answers float dollars) becomes integer cents once, at ingestion,
 *   per tenant × day × category (`dollarsToCents`: half away from zero). Everything after that
 *   sums integers.
 * - Token spend (LiteLLM answers float dollars per request, often fractions of a cent) becomes
 *   integer micro-units (10^-6 of the currency) per request, is summed as integers, and is
 *   rounded to cents exactly once, on the total that is shown (`microsToCents`, same rule). So a
 *   tenant's monthly token spend is not the sum of 30 separately rounded days.
 * - One currency (COST_CURRENCY) for every amount; the portal never converts.
 */
export { dollarsToCents, formatCents } from "@/lib/money/cents";

export const MICROS_PER_CENT = 10_000n;

/** Float dollars from an external system → integer micro-units (half away from zero). */
export function dollarsToMicros(dollars: number): bigint {
  if (!Number.isFinite(dollars)) throw new RangeError(`not a finite amount: ${dollars}`);
  const micros = Math.sign(dollars) * Math.round(Math.abs(dollars) * 1_000_000);
  return BigInt(micros === 0 ? 0 : micros);
}

/** Integer micro-units → integer cents, half away from zero: the one rounding point of token spend. */
export function microsToCents(micros: bigint): number {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const cents = (abs + MICROS_PER_CENT / 2n) / MICROS_PER_CENT;
  return negative && cents !== 0n ? -Number(cents) : Number(cents);
}

/** `part / whole` in percent with two decimals, or null when there is no whole (no budget). */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 10_000) / whole) / 100;
}

/** Sums integer amounts, refusing anything that is not a safe integer (a float that slipped in). */
export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount of cents: ${value}`);
    total += value;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError("sum of cents overflows");
  return total;
}
