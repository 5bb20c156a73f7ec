/**
 * A small, deterministic YAML writer for plain data trees: objects, arrays, strings, finite or
 * infinite numbers, booleans and null (what `renderTemplate` produces). It exists because
 * building a `yaml` Document and stringifying it costs far more than the rendering itself.
 *
 * The output is block style with a two-space indent (sequences indented under their key), empty
 * collections as `{}` and `[]`, and no anchors, tags, directives or line folding. Safety rests on
 * how strings are written, which is deliberately conservative:
 *
 *  - plain (unquoted) only when the text is printable ASCII from an allow-list, cannot be read
 *    as YAML syntax (no leading indicator, no ": ", " #", trailing ":" or space, no "---"/"..."
 *    start), and no YAML 1.1 or 1.2 reader could resolve it to anything but a string (the
 *    caller's `nonString` test, plus a number-like guard of our own);
 *  - single-quoted when it must be quoted, is one line of printable ASCII and holds `"` but
 *    no `'` (the only escape there is `''`, and it is not needed);
 *  - a `|` or `|-` literal block for a multi-line mapping value or list item made only of
 *    printable ASCII lines with no leading blank/space, no trailing spaces and at most one
 *    trailing newline;
 *  - otherwise double-quoted, on one line, with `"`, `\`, every control character, every
 *    non-ASCII line break (U+0085, U+2028, U+2029), U+FEFF, U+FFFE/U+FFFF and unpaired
 *    surrogates escaped. The result is also a valid JSON string, which YAML reads as-is.
 */

export type NonStringTest = (text: string) => boolean;

export type EmitOptions = {
  /** True for a string that some YAML reader would resolve to a non-string if written plain. */
  nonString: NonStringTest;
  /** A comment written as the first line(s), followed by an empty line. */
  header?: string;
};

// A YAML implicit key must fit in 1024 characters; longer keys are written as `? key`.
const MAX_IMPLICIT_KEY = 1000;

// First character of a plain scalar: letters, digits and a few characters with no meaning at
// the start of a YAML scalar; "-" only when followed by one of those (so never "- " or "-").
const PLAIN = /^(?:[A-Za-z0-9_./$(]|-[A-Za-z0-9_./$(-])[\x20-\x7E]*$/;
// Anything a reader might take for a number, date or time (hex, octal, binary, exponents,
// underscores, sexagesimal, timestamps), or an infinity / NaN spelled the way some readers accept.
const NUMBER_LIKE = /^[-+]?\.?[0-9][-+.0-9a-fA-FxXoOtTzZ_: ]*$|^[-+]?\.?(?:inf|infinity|nan)$/i;

const PRINTABLE_ASCII_NO_SINGLE_QUOTE = /^[\x20-\x26\x28-\x7E]*$/;
const DOUBLE_QUOTE_RAW = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const LITERAL_BLOCK = /^[\x21-\x7E][\x20-\x7E\n]*$/;
const LITERAL_FORBIDDEN = / \n| $|\n\n$/;
const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/;
const COMMENT_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x80-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `tree` as one YAML document, ending in a newline. */
export function emitYaml(tree: unknown, options: EmitOptions): string {
  const emitter = new Emitter(options.nonString);
  let out = "";
  if (options.header) out = `${headerComment(options.header)}\n`;
  if (isNonEmptyArray(tree)) emitter.seq(tree, "", "");
  else if (isNonEmptyMap(tree)) emitter.map(tree, "", "");
  else {
    // A document that is one scalar: never a literal block (its lines would sit at column 0).
    emitter.out = `${emitter.scalar(tree === undefined ? null : tree, false, "")}\n`;
  }
  return out + emitter.out;
}

function headerComment(header: string): string {
  if (COMMENT_FORBIDDEN.test(header)) throw new Error("A YAML header comment must be printable text");
  let out = "";
  for (const line of header.split(LINE_BREAK)) out += line === "" ? "#\n" : `# ${line}\n`;
  return out;
}

class Emitter {
  out = "";
  constructor(private readonly nonString: NonStringTest) {}

  /** Entries of a non-empty mapping; the first line starts with `first`, the others with `indent`. */
  map(map: Record<string, unknown>, first: string, indent: string): void {
    let prefix = first;
    for (const key in map) {
      if (!Object.hasOwn(map, key)) continue;
      const value = map[key];
      if (value === undefined) continue; // as JSON and the yaml library do
      const keyText = this.scalar(key, false, indent);
      if (keyText.length > MAX_IMPLICIT_KEY) {
        this.out += `${prefix}? ${keyText}\n`;
        this.item(`${indent}:`, value, indent);
      } else {
        this.value(`${prefix}${keyText}:`, value, indent);
      }
      prefix = indent;
    }
  }

  /** Items of a non-empty sequence; the first line starts with `first`, the others with `indent`. */
  seq(list: readonly unknown[], first: string, indent: string): void {
    this.item(`${first}-`, list[0], indent);
    for (let i = 1; i < list.length; i++) this.item(`${indent}-`, list[i], indent);
  }

  /** A mapping value after `line` ("  key:"), whose key is at `indent`. */
  private value(line: string, value: unknown, indent: string): void {
    const child = `${indent}  `;
    if (isNonEmptyArray(value)) {
      this.out += `${line}\n`;
      this.seq(value, child, child);
    } else if (isNonEmptyMap(value)) {
      this.out += `${line}\n`;
      this.map(value, child, child);
    } else {
      this.out += `${line} ${this.scalar(value, true, child)}\n`;
    }
  }

  /** A sequence item (or explicit-key value) after `marker` ("  -" or "  :"), at `indent`. */
  private item(marker: string, value: unknown, indent: string): void {
    const child = `${indent}  `;
    const first = `${marker} `;
    if (isNonEmptyArray(value)) this.seq(value, first, child);
    else if (isNonEmptyMap(value)) this.map(value, first, child);
    else this.out += `${marker} ${this.scalar(value === undefined ? null : value, true, child)}\n`;
  }

  /**
   * A scalar or empty collection on one line, or (when `block` allows it: mapping values and
   * list items, never keys) a literal block whose lines are indented by `child`.
   */
  scalar(value: unknown, block: boolean, child: string): string {
    switch (typeof value) {
      case "string":
        return this.string(value, block, child);
      case "number":
        return numberText(value);
      case "boolean":
        return value ? "true" : "false";
      case "object":
        if (value === null) return "null";
        if (Array.isArray(value)) return "[]";
        if (isPlainObject(value)) return "{}";
    }
    throw new TypeError(`Cannot write ${describe(value)} as YAML: only plain data is supported`);
  }

  private string(text: string, block: boolean, child: string): string {
    if (isPlainSafe(text) && !this.nonString(text)) return text;
    if (block && text.includes("\n") && LITERAL_BLOCK.test(text) && !LITERAL_FORBIDDEN.test(text)) return literalBlock(text, child);
    if (text.includes('"') && PRINTABLE_ASCII_NO_SINGLE_QUOTE.test(text)) return `'${text}'`;
    return doubleQuoted(text);
  }
}

/** Plain is safe for `text` as far as YAML syntax and number-like spellings go. */
function isPlainSafe(text: string): boolean {
  return (
    PLAIN.test(text) &&
    // ...and still not: a mapping indicator, a comment, a trailing ":" or space (PLAIN already
    // rules out line breaks and tabs), or a document marker...
    !text.includes(": ") &&
    !text.includes(" #") &&
    !text.endsWith(":") &&
    !text.endsWith(" ") &&
    !text.startsWith("---") &&
    !text.startsWith("...") &&
    // ...or something a reader could take for a number, a date or a time.
    !NUMBER_LIKE.test(text)
  );
}

function literalBlock(text: string, child: string): string {
  const keep = text.endsWith("\n");
  const lines = (keep ? text.slice(0, -1) : text).split("\n");
  let out = keep ? "|" : "|-";
  for (const line of lines) out += line === "" ? "\n" : `\n${child}${line}`;
  return out;
}

/** A YAML double-quoted scalar (also a JSON string) that spells out every risky character. */
export function doubleQuoted(text: string): string {
  if (DOUBLE_QUOTE_RAW.test(text)) return `"${text}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let escape: string | undefined;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      escape = c === 0x0a ? "\\n" : c === 0x09 ? "\\t" : c === 0x0d ? "\\r" : unicodeEscape(c);
    } else if (c === 0x22) escape = '\\"';
    else if (c === 0x5c) escape = "\\\\";
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) escape = unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: one printable code point, written as is
        continue;
      }
      escape = unicodeEscape(c);
    }
    if (escape === undefined) continue;
    out += text.slice(start, i) + escape;
    start = i + 1;
  }
  return `${out}${text.slice(start)}"`;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  if (Object.is(value, -0)) return "-0";
  // As JS writes it ("8", "0.5", "1.5e-7"), except that an exponent gets a fraction: YAML 1.1
  // (and readers built on it) only takes "1e-7" for a number when spelled "1.0e-7".
  const text = String(value);
  return text.includes("e") && !text.includes(".") ? text.replace("e", ".0e") : text;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isNonEmptyArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function isNonEmptyMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !isPlainObject(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key) && (value as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return typeof value;
  return `an object of type ${(value as object).constructor?.name ?? "unknown"}`;
}
