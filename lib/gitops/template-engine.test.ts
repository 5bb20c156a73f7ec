import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document, parse } from "yaml";
import { compileTemplate, isNonStringScalar, OMIT, renderTemplate, serializeYaml, TemplateError } from "./template-engine";

const render = (text: string, values: Record<string, unknown>) =>
  renderTemplate(compileTemplate("t.yaml", text), values as Parameters<typeof renderTemplate>[1]);

describe("placeholders", () => {
  it("interpolates strings and numbers into string scalars", () => {
    expect(render('a: ${x}\nb: "pre-${x}-${n}"\nc: "${n}"\n', { x: "v", n: 8 })).toEqual({ a: "v", b: "pre-v-8", c: "8" });
  });

  it("types whole-scalar placeholders", () => {
    const out = render("i: ${int:i}\nf: ${num:f}\nb: ${bool:b}\ns: ${str:s}\nn: ${int?:n}\nm: ${str?:m}\n", {
      i: 3, f: 2.5, b: false, s: "12", n: null, m: null,
    });
    expect(out).toEqual({ i: 3, f: 2.5, b: false, s: "12", n: null, m: null });
  });

  it("splices lists into list items", () => {
    expect(render("args:\n  - first\n  - ${strings:rest}\n  - last\nn:\n  - ${ints:ns}\n", { rest: ["a", "b"], ns: [1, 2] })).toEqual({
      args: ["first", "a", "b", "last"],
      n: [1, 2],
    });
  });

  it("removes a key or item whose value is OMIT, and a container left empty by it", () => {
    const text = "a: ${str:a}\nb: ${int:b}\nlist:\n  - ${str:a}\nmap:\n  only: ${a}\nkeep: {}\n";
    expect(render(text, { a: OMIT, b: 1 })).toEqual({ b: 1, keep: {} });
  });

  it.each([
    ["a missing value", "a: ${x}\n", {}, "no value for ${x}"],
    ["a wrong type", "a: ${int:x}\n", { x: "1" }, "${int:x} got string"],
    ["a fraction for an int", "a: ${int:x}\n", { x: 1.5 }, "${int:x} got number"],
    ["null without ?", "a: ${str:x}\n", { x: null }, "got null"],
    ["a list inline", "a: ${x}\n", { x: ["a"] }, "needs a string or number, got a list"],
    ["OMIT inside a longer string", "a: pre-${x}\n", { x: OMIT }, "needs a string or number, got OMIT"],
    ["a non-boolean flag", "a:\n  - x-portal-when: f\n    b: 1\n", { f: "yes" }, "flag f needs a boolean"],
  ])("refuses %s", (_label, text, values, message) => {
    expect(() => render(text, values)).toThrow(message);
  });
});

describe("conditions and repetition", () => {
  const text = [
    "items:",
    "  - x-portal-when: on",
    "    name: when-on",
    "  - x-portal-when: '!on'",
    "    name: when-off",
    "  - x-portal-each: groups",
    "    kind: Group",
    "    name: ${str:item}",
    "",
  ].join("\n");

  it("keeps a mapping only when its flag holds, and repeats one per list element", () => {
    expect(render(text, { on: true, groups: ["a", "b"] })).toEqual({
      items: [{ name: "when-on" }, { kind: "Group", name: "a" }, { kind: "Group", name: "b" }],
    });
    expect(render(text, { on: false, groups: [] })).toEqual({ items: [{ name: "when-off" }] });
  });

  it("drops a whole file on its leading # x-portal-when", () => {
    const t = compileTemplate("t.yaml", "# x-portal-when: enabled\n# why it is optional\nkind: X\n");
    expect(renderTemplate(t, { enabled: false })).toBeUndefined();
    expect(renderTemplate(t, { enabled: true })).toEqual({ kind: "X" });
  });
});

describe("template checks at load time", () => {
  it.each([
    ["two documents", "a: 1\n---\nb: 2\n", "exactly one YAML document"],
    ["an anchor", "a: &x 1\nb: 2\n", "anchors are not allowed"],
    ["an alias", "a: &x 1\nb: *x\n", "are not allowed"],
    ["a tag", "a: !!str 1\n", "tags are not allowed"],
    ["a placeholder in a key", "${k}: 1\n", "placeholders are not allowed in keys"],
    ["an integer-like key", "8000: http\n", 'key "8000"'],
    ["a typed placeholder inside text", "a: pre-${int:n}\n", "typed placeholder must be the whole value"],
    ["a list splice outside a list", "a: ${strings:x}\n", "must be a whole list item"],
    ["a malformed placeholder", "a: ${not valid}\n", "malformed placeholder"],
    ["x-portal-each outside a list", "a:\n  x-portal-each: l\n", "must be in a list item"],
    ["a directive below the top", "a: 1\n# x-portal-when: f\nb: 2\n", "leading comment"],
    ["duplicate keys", "a: 1\na: 2\n", "Map keys must be unique"],
    ["a top-level list", "- a\n", "must be a mapping"],
  ])("refuses %s", (_label, text, message) => {
    expect(() => compileTemplate("t.yaml", text)).toThrow(TemplateError);
    expect(() => compileTemplate("t.yaml", text)).toThrow(message);
  });
});

describe("serializeYaml", () => {
  it("quotes what YAML 1.1 readers (Go) would otherwise turn into booleans, numbers or null", () => {
    const tree = { a: "no", b: "on", c: "y", d: "012", e: "1e3", f: "12:30", g: "null", h: "~", i: "true", j: "0x1F", k: "0o17", l: "2026-01-01", m: ".inf", n: "0b101", o: "1_000" };
    const out = serializeYaml(tree);
    expect(parse(out, { version: "1.1" })).toEqual(tree);
    expect(parse(out, { version: "1.2" })).toEqual(tree);
  });

  it("checks strings against exactly the yaml library's YAML 1.1 and 1.2 non-string patterns", () => {
    const patterns = (["1.1", "1.2"] as const).flatMap((version) =>
      (new Document(null, { version }).schema.tags as { tag: string; test?: RegExp }[])
        .filter((t) => t.test && t.tag !== "tag:yaml.org,2002:str")
        .map((t) => t.test!),
    );
    const numberish = fc.stringMatching(/^[-+]?[0-9._:eE]{0,3}[-+0-9a-fA-FxXoObB_.:tTzZ ]{0,10}$/);
    const numbers = fc.stringMatching(/^[-+]?(0[xob])?[0-9]{0,4}(?:[._:][0-9_]{0,3}){0,3}(?:[eE][-+]?[0-9]{1,2})?$/);
    const words = fc.constantFrom("", "~", "null", "NULL", "Yes", "y", "on", "OFF", "true", "False", "<<", ".inf", "-.Inf", ".NaN", "2026-01-01", "2001-12-14t21:59:43.10-05:00", "0o17", "0x_1F", "0b1_0", "190:20:30", "1:20:30.5", "nope", "yes!", "e1");
    fc.assert(
      fc.property(fc.oneof(words, numberish, numbers, fc.string({ maxLength: 6 })), (text) => {
        expect(isNonStringScalar(text)).toBe(patterns.some((re) => re.test(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes a header comment, two-space indent, no folding and no anchors for repeated objects", () => {
    const shared = { x: "y".repeat(200) };
    const out = serializeYaml({ a: shared, b: shared }, "hello");
    expect(out.startsWith("# hello\n")).toBe(true);
    expect(out).not.toContain("&");
    expect(out).not.toContain("*a");
    expect(out).toContain(`  x: ${"y".repeat(200)}\n`);
  });
});
