import { MetricsParamError } from "./errors";

/**
 * PromQL string literals, both ways, following Prometheus's lexer (promql/parser/lex.go
 * `lexEscape`): escapes a b f n r t v \ and the opening quote, octal \NNN, \xNN, \uNNNN,
 * \UNNNNNNNN; raw (backtick) strings take everything but a backtick.
 */

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/**
 * Decodes a literal exactly as Prometheus would, or returns undefined. Used on every literal of a
 * query to scope: if our parser's idea of where a string ends ever differed from Prometheus's,
 * a selector could hide inside what we took for a string — a literal that does not decode
 * cleanly from quote to quote is refused instead.
 */
export function decodeStringLiteral(raw: string): string | undefined {
  const quote = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== quote) return undefined;
  const inner = raw.slice(1, -1);
  if (quote === "`") return inner.includes("`") ? undefined : inner;
  if (quote !== '"' && quote !== "'") return undefined;
  let out = "";
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === quote || ch === "\n") return undefined;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = inner[++i];
    if (next === undefined) return undefined;
    if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else if (next === quote) out += quote;
    else if (/[0-7]/.test(next)) {
      const digits = inner.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || Number.parseInt(digits, 8) > 255) return undefined;
      out += String.fromCharCode(Number.parseInt(digits, 8));
      i += 2;
    } else if (next === "x" || next === "u" || next === "U") {
      const length = { x: 2, u: 4, U: 8 }[next];
      const hex = inner.slice(i + 1, i + 1 + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) return undefined;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
      out += String.fromCodePoint(code);
      i += length;
    } else return undefined;
  }
  return out;
}

/**
 * A value as a double-quoted PromQL string literal. Everything that could end the string or
 * change its meaning is escaped; a lone UTF-16 surrogate (not valid UTF-8, so Prometheus would
 * reject or mangle it) is refused.
 */
export function promqlString(value: string, field = "value"): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) throw new MetricsParamError(field, "contains an invalid Unicode character");
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A value matched literally inside a regex matcher (RE2 metacharacters escaped). */
export function regexLiteral(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}
