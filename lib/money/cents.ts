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
