import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { serializeYaml } from "./template-engine";
import { doubleQuoted, emitYaml } from "./yaml-emit";

/** Every document of `text`, read as YAML `version`; fails on any error, warning or alias. */
function read(text: string, version: "1.1" | "1.2"): unknown[] {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    expect(doc.errors, `${version} errors`).toEqual([]);
    expect(doc.warnings, `${version} warnings`).toEqual([]);
  }
  return list.map((doc) => doc.toJS({ maxAliasCount: 0 }));
}

/** `text` reads back as exactly `tree`, as one document, in YAML 1.1 and 1.2. */
function expectRoundTrip(text: string, tree: unknown): void {
  for (const version of ["1.1", "1.2"] as const) {
    const docs = read(text, version);
    expect(docs, version).toHaveLength(1);
    expect(docs[0], version).toEqual(tree);
  }
}

// YAML's printable set; the emitter escapes the rest, and the non-ASCII line breaks that YAML 1.1
// readers split lines on, and U+FEFF.
const RAW_CHARS_OK = /^(?:[\n\x20-\x7E\xA0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

const NASTY = [
  "\n", "\r\n", "\r", ": ", ":", "---", "...", "--- x", "- ", "-", "? ", "?", "#", " # c", "a#b", "'", '"', "''", "\\", "`", "@",
  "%", "%YAML 1.1", "&a", "*a", "!", "!!str", "!!python/object:os.system", "|", "|-", ">", ">-", "[", "]", "{", "}", ",",
  "{{ .x }}", "${x}", "<<", "=", "~", "null", "Null", "", "true", "False", "yes", "NO", "on", "Off", "y", "n", "0x1F", "0o17",
  "0b101", "012", "1_000", "1e3", "e1", "-1", "+1", ".5", "1.", ".", ".inf", "-.Inf", ".nan", "inf", "NaN", "12:30",
  "1:20:30.5", "2026-01-01", "2026-01-01 10:00:00 +1", "8b", "1.0.0", " ", "  ", "\t", "a\tb", "\u0000", "\u0007", "\u001b",
  "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udc00", "\u200b", "é", "日本語",
  "🦙", '"x" y', "- \"x\"", "#\"", "apiVersion: v1\nkind: Secret", "a\n", "a\n\n", "\na", " a\nb", "a \nb", "a\n \nb", "x".repeat(1100),
];

/** Strings built from YAML's special characters and arbitrary UTF-16 (lone surrogates included). */
const hostile = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "grapheme", maxLength: 4 }), fc.string({ unit: "binary", maxLength: 4 })), {
    maxLength: 6,
  }).map((parts) => parts.join("")),
  fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9_.:/ #]{0,20}$/),
  // Multi-line printable text: literal blocks, or the cases that must not be one.
  fc.array(fc.stringMatching(/^[ -~]{0,8}$/), { minLength: 2, maxLength: 4 }).map((lines) => lines.join("\n")),
);

const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, 1.5e-7, -2e30, 2 ** 53, -(2 ** 53), 0.1, 5e-324));

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("list"), tie("map")),
  leaf: fc.oneof(hostile, number, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({})),
  list: fc.array(tie("tree"), { maxLength: 5 }),
  map: fc.dictionary(hostile, tie("tree"), { maxKeys: 5 }),
}));

describe("emitYaml round trip", () => {
  it("reads back as exactly the tree, in YAML 1.1 and 1.2, with only printable characters", () => {
    fc.assert(
      fc.property(tree, (value) => {
        const out = serializeYaml(value, "a header");
        expect(out.startsWith("# a header\n\n")).toBe(true);
        expect(out.endsWith("\n")).toBe(true);
        expect(RAW_CHARS_OK.test(out)).toBe(true);
        expectRoundTrip(out, value);
      }),
      { numRuns: 1500 },
    );
  });

  it("keeps any hostile string one scalar, as a value, a key and a list item", () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const value = { [a]: b, list: [a, { [b]: [a] }], nested: { k: a } };
        expectRoundTrip(serializeYaml(value), value);
      }),
      { numRuns: 3000 },
    );
  });

  it("round-trips every constant on its own, at the top level too", () => {
    for (const s of NASTY) {
      expectRoundTrip(serializeYaml({ [s]: s, l: [s] }), { [s]: s, l: [s] });
      expectRoundTrip(serializeYaml(s), s);
    }
  });
});

describe("emitYaml output", () => {
  const emit = (tree: unknown, header?: string) => emitYaml(tree, { nonString: (s) => s === "true" || s === "null", header });

  it("writes block mappings and sequences with a two-space indent and inline empty collections", () => {
    const tree = {
      a: null,
      b: [],
      c: {},
      d: [[1, [2, 3]], { x: 1.5, y: [true] }, [], {}, null],
      e: { f: { g: -0 } },
      skipped: undefined,
      h: [undefined],
      n: [Infinity, -Infinity, NaN, 1e21, 1e-7, 1.5e-7, -0.25],
    };
    expect(emit(tree)).toBe(
      [
        "a: null",
        "b: []",
        "c: {}",
        "d:",
        "  - - 1",
        "    - - 2",
        "      - 3",
        "  - x: 1.5",
        "    y:",
        "      - true",
        "  - []",
        "  - {}",
        "  - null",
        "e:",
        "  f:",
        "    g: -0",
        "h:",
        "  - null",
        "n:",
        "  - .inf",
        "  - -.inf",
        "  - .nan",
        "  - 1.0e+21",
        "  - 1.0e-7",
        "  - 1.5e-7",
        "  - -0.25",
        "",
      ].join("\n"),
    );
  });

  it("writes safe strings plain and quotes the rest", () => {
    const tree = {
      plain: "https://example.com/a?b=c#d",
      flag: "--max-model-len",
      template: "tenant-{{path.basename}}",
      resolved: "true",
      numberLike: "8b",
      version: "1.0.0",
      empty: "",
      indicator: "{{path}}",
      comment: "a #b",
      colon: "a: b",
      trailing: "a ",
      dashes: "--- x",
      inner: `say "hi", it's`,
      single: '"hi" she said',
      both: `"it's"`,
      tab: "a\tb",
      unicode: "é",
      controls: "\u0000\u007f\u0085\u2028\ufeff\ud800",
    };
    expect(emit(tree)).toBe(
      [
        "plain: https://example.com/a?b=c#d",
        "flag: --max-model-len",
        "template: tenant-{{path.basename}}",
        'resolved: "true"',
        'numberLike: "8b"',
        'version: "1.0.0"',
        'empty: ""',
        'indicator: "{{path}}"',
        'comment: "a #b"',
        'colon: "a: b"',
        'trailing: "a "',
        'dashes: "--- x"',
        `inner: say "hi", it's`,
        `single: '"hi" she said'`,
        `both: "\\"it's\\""`,
        'tab: "a\\tb"',
        'unicode: "é"',
        'controls: "\\u0000\\u007F\\u0085\\u2028\\uFEFF\\uD800"',
        "",
      ].join("\n"),
    );
  });

  it("writes multi-line values as literal blocks only when they read back verbatim", () => {
    const tree = { clip: "a: 1\n  b\n", strip: "x\n\ny", list: ["p\nq\n"], keep: "a\n\n", lead: " a\nb", space: "a \nb", key: { "k\nl": 1 } };
    expect(emit(tree)).toBe(
      [
        "clip: |",
        "  a: 1",
        "    b",
        "strip: |-",
        "  x",
        "",
        "  y",
        "list:",
        "  - |",
        "    p",
        "    q",
        'keep: "a\\n\\n"',
        'lead: " a\\nb"',
        'space: "a \\nb"',
        "key:",
        '  "k\\nl": 1',
        "",
      ].join("\n"),
    );
    expect(emit("a\nb\n")).toBe('"a\\nb\\n"\n');
  });

  it("writes the header as leading comment lines and a blank line", () => {
    expect(emit({ a: 1 }, "hello")).toBe("# hello\n\na: 1\n");
    expect(emit({ a: 1 }, "one\ntwo\r\nthree\u2028")).toBe("# one\n# two\n# three\n#\n\na: 1\n");
    expect(() => emit({ a: 1 }, "bell\u0007")).toThrow("printable");
  });

  it("writes a key too long for an implicit key as an explicit one", () => {
    const key = "k".repeat(1200);
    expect(emit({ [key]: { a: [1] }, b: 2 })).toBe(`? ${key}\n: a:\n    - 1\nb: 2\n`);
    expectRoundTrip(serializeYaml({ [key]: { a: [1] }, list: [{ [key]: "x\ny\n" }] }), { [key]: { a: [1] }, list: [{ [key]: "x\ny\n" }] });
  });

  it("writes repeated objects twice, never as anchors", () => {
    const shared = { x: "y" };
    expect(emit({ a: shared, b: [shared] })).toBe("a:\n  x: y\nb:\n  - x: y\n");
  });

  it("refuses anything but plain data", () => {
    for (const value of [new Date(0), new Map(), () => 1, 1n, Symbol("s"), new (class X {})()]) {
      expect(() => emit({ a: value })).toThrow(TypeError);
    }
  });

  it("escapes strings as valid JSON too", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(JSON.parse(doubleQuoted(s))).toBe(s);
      }),
    );
  });
});
