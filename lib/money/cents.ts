import { z } from "zod";

// Money is integer cents inside the portal; LiteLLM speaks float dollars, so conversion happens
// only at that boundary, with one rounding rule (half away from zero, to the cent).
export function dollarsToCents(dollars: number): number {
  const cents = Math.sign(dollars) * Math.round(Math.abs(dollars) * 100);
  return cents === 0 ? 0 : cents; // no negative zero
}

export function centsToDollars(cents: number): number {
  return cents / 100;
}

export function formatCents(cents: number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}

/** A dollar amount typed by a person: finite, not negative, at most two decimals. */
export const dollarAmount = z
  .number({ error: "Enter an amount in dollars" })
  .finite()
  .nonnegative("Must not be negative")
  .max(10_000_000, "Must be at most 10,000,000")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "Use at most two decimals");
