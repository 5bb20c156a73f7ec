// Logs and error messages cross trust boundaries (log shippers, support tickets). Anything that
// looks like a credential is replaced before it leaves the process.
const SECRET_KEYS = /pass(word)?|secret|token|authorization|api[-_]?key|^key$|cookie|master/i;
const SECRET_VALUES: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{6,}/g, // LiteLLM / OpenAI style keys
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];

export function scrubString(value: string): string {
  return SECRET_VALUES.reduce((text, pattern) => text.replace(pattern, "[REDACTED]"), value);
}

export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[…]";
  if (typeof value === "string") return scrubString(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrubString(value.message) };
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_KEYS.test(key) ? "[REDACTED]" : scrub(item, depth + 1)]),
    );
  }
  return value;
}
