import { describe, expect, it } from "vitest";
import { centsToDollars, dollarsToCents, formatCents } from "./cents";
import { dollarAmount } from "./dollar-amount";

describe("dollarsToCents", () => {
  it.each([
    { dollars: 0, cents: 0 },
    { dollars: 1, cents: 100 },
    { dollars: 12.34, cents: 1234 },
    { dollars: 0.1 + 0.2, cents: 30 }, // 0.30000000000000004
    { dollars: 0.29, cents: 29 }, // 28.999999999999996 before rounding
    { dollars: 1.1, cents: 110 }, // 110.00000000000001
    { dollars: 0.004, cents: 0 },
    { dollars: 0.006, cents: 1 },
    { dollars: 0.125, cents: 13 }, // exact half: away from zero
    { dollars: -0.125, cents: -13 }, // and away from zero when negative, not towards +∞
    { dollars: -12.34, cents: -1234 },
    { dollars: 10_000_000, cents: 1_000_000_000 },
  ])("$dollars $ → $cents ¢", ({ dollars, cents }) => {
    expect(dollarsToCents(dollars)).toBe(cents);
  });
});

describe("centsToDollars", () => {
  it.each([
    { cents: 0, dollars: 0 },
    { cents: 1, dollars: 0.01 },
    { cents: 1234, dollars: 12.34 },
    { cents: -250, dollars: -2.5 },
  ])("$cents ¢ → $dollars $", ({ cents, dollars }) => {
    expect(centsToDollars(cents)).toBe(dollars);
  });

  it.each([0, 1, 29, 30, 1234, 99_999, 1_000_000_000])("round-trips %i cents", (cents) => {
    expect(dollarsToCents(centsToDollars(cents))).toBe(cents);
  });
});

describe("formatCents", () => {
  it.each([
    { cents: 0, text: "$0.00" },
    { cents: 5, text: "$0.05" },
    { cents: 123456, text: "$1,234.56" },
    { cents: -250, text: "-$2.50" },
  ])("$cents → $text", ({ cents, text }) => {
    expect(formatCents(cents)).toBe(text);
  });

  it("uses the currency asked for", () => {
    expect(formatCents(1000, "EUR")).toBe("€10.00");
  });
});

describe("dollarAmount", () => {
  it.each([0, 0.01, 0.1, 19.99, 0.1 + 0.2, 1e7])("accepts %s", (value) => {
    expect(dollarAmount.parse(value)).toBe(value);
  });

  it.each([
    { name: "negative", value: -0.01 },
    { name: "sub-cent", value: 0.001 },
    { name: "three decimals", value: 1.234 },
    { name: "above the cap", value: 1e7 + 0.01 },
    { name: "NaN", value: Number.NaN },
    { name: "Infinity", value: Number.POSITIVE_INFINITY },
    { name: "a numeric string", value: "5" },
    { name: "null", value: null },
  ])("rejects $name", ({ value }) => {
    expect(dollarAmount.safeParse(value).success).toBe(false);
  });
});
