/**
 * The CSV dialect of cost exports: RFC 4180 (comma, CRLF, double quotes doubled, a field quoted
 * when it holds a comma, quote, CR or LF), UTF-8 without BOM, and a defence against CSV
 * ("formula") injection.
 *
 * Injection: a spreadsheet opening the file runs any cell that starts with `=`, `+`, `-` or `@`
 * (and, in some versions, TAB or CR) as a formula. Tenant names and cost-center labels are typed
 * by people, so such a cell is written with a leading single quote (`'=1+1`), which spreadsheets
 * show as text (OWASP's advice). Cells that are exactly a decimal number (`-12.30`, `42`) are
 * numbers the exporter wrote itself and are left alone, so a negative amount stays a number.
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export type CsvValue = string | number | bigint | null;

/** One cell: null is empty; numbers must be integers (money goes through `centsToDecimal`). */
export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number" && !Number.isInteger(value)) throw new RangeError(`not an integer cell: ${value}; format decimals explicitly`);
  let text = String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * Integer minor units → a decimal string with exactly two decimals (`12345` → `"123.45"`,
 * `-5` → `"-0.05"`). Pure integer arithmetic: no float ever formats money.
 */
export function centsToDecimal(cents: number | bigint): string {
  if (typeof cents === "number" && !Number.isSafeInteger(cents)) throw new RangeError(`not an integer amount of cents: ${cents}`);
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${abs / 100n}.${fraction}`;
}

/** Thousandths (GPU milli-hours) → a decimal string with three decimals, also without floats. */
export function milliToDecimal(milli: number | bigint): string {
  if (typeof milli === "number" && !Number.isSafeInteger(milli)) throw new RangeError(`not an integer amount: ${milli}`);
  const value = BigInt(milli);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, "0")}`;
}

/** A percentage the domain already rounded to two decimals (or null without a budget). */
export function percentToDecimal(pct: number | null): string | null {
  if (pct === null) return null;
  // Scale to an integer of hundredths first; the domain's value is already a multiple of 0.01.
  return centsToDecimal(Math.round(pct * 100));
}
