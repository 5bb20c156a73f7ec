/**
 * LiteLLM (Python, prisma-client-py) serializes datetimes with `isoformat()`:
 * microseconds and a "+00:00" offset, e.g. "2024-01-18T23:52:09.125000+00:00".
 * Emitting the same shape keeps portal parsers honest (a parser that only
 * accepts "Z" would pass here and fail in production otherwise).
 */
export function pyIso(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}
