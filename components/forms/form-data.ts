// Reading typed values out of FormData. Empty means "not set"; anything else goes to the server
// as typed (Number("abc") is NaN), so the server's schema is what validates it.

export function optionalNumber(value: FormDataEntryValue | null): number | null {
  return value === null || value === "" ? null : Number(value);
}

export function numberOrUndefined(value: FormDataEntryValue | null): number | undefined {
  return optionalNumber(value) ?? undefined;
}

/** A comma-separated field as a list, blanks dropped. */
export function commaList(value: FormDataEntryValue | null): string[] {
  return String(value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
