import { z } from "zod";

// Kept apart from cents.ts, which client components import: zod stays out of the browser bundle.
/** A dollar amount typed by a person: finite, not negative, at most two decimals. */
export const dollarAmount = z
  .number({ error: "Enter an amount in dollars" })
  .finite()
  .nonnegative("Must not be negative")
  .max(10_000_000, "Must be at most 10,000,000")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "Use at most two decimals");
