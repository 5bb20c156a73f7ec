import { Document, isAlias, isNode, isScalar, parseAllDocuments, visit } from "yaml";
import { emitYaml } from "./yaml-emit";

/**
 * The template language (documented in gitops-templates/README.md).
 *
 * Safety rests on one rule: a template is parsed as YAML BEFORE any value is inserted, values
 * are inserted only into scalar values of the parsed tree, and the result is serialized by the
 * `yaml` library. A value is therefore always one scalar: whatever it contains (newlines, ": ",
 * "---", "&anchor", "!!tag", "${x}"), it can never become a key, a list item, a document or an
 * object. Values are inserted in a single pass, so a value that looks like a placeholder is not
 * expanded again.
 *
 *   ${name}            inside any string scalar; the value must be a string or a number
 *   ${str:name}        the whole scalar; a string              (${str?:name} also allows null)
 *   ${int:name}        the whole scalar; an integer            (${int?:name} also allows null)
 *   ${num:name}        the whole scalar; a finite number
 *   ${bool:name}       the whole scalar; a boolean
 *   ${strings:name}    a whole list item; spliced in as one item per string
 *   ${ints:name}       a whole list item; spliced in as one item per integer
 *   x-portal-when: f   key in a mapping: the mapping is kept only when flag `f` is true ("!f": false)
 *   x-portal-each: l   key in a mapping that is a list item: one copy per string of list `l`, as ${item}
 *   # x-portal-when: f first comment of the file: the whole file is rendered only when `f` is true
 *
 * A whole-scalar placeholder whose value is OMIT removes its key (or list item). A list or
 * mapping that loses every entry this way is removed too. A value missing for a placeholder is
 * an error, never an empty string: a typo must not render a half-empty manifest.
 */

export const OMIT: unique symbol = Symbol("omit");
export type TemplateValue = string | number | boolean | null | readonly string[] | readonly number[] | typeof OMIT;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

export type CompiledTemplate = {
  name: string;
  when?: Condition;
  tree: unknown;
};

type Condition = { flag: string; negate: boolean };
type PlaceholderType = "str" | "str?" | "int" | "int?" | "num" | "bool" | "strings" | "ints";

const WHEN = "x-portal-when";
const EACH = "x-portal-each";
const ITEM = "item";
const NAME = "[A-Za-z][A-Za-z0-9]*";
const ANY_PLACEHOLDER = /\$\{([^}]*)\}/g;
const INLINE_PLACEHOLDER = new RegExp(`\\$\\{(${NAME})\\}`, "g");
const WHOLE_PLACEHOLDER = new RegExp(`^\\$\\{(?:(str\\??|int\\??|num|bool|strings|ints):)?(${NAME})\\}$`);
const PLACEHOLDER_BODY = new RegExp(`^(?:(str\\??|int\\??|num|bool|strings|ints):)?${NAME}$`);
const CONDITION = new RegExp(`^(!?)(${NAME})$`);
const FILE_WHEN = new RegExp(`^\\s*${WHEN}:\\s*(!?)(${NAME})\\s*$`);

export class TemplateError extends Error {
  constructor(template: string, message: string) {
    super(`${template}: ${message}`);
    this.name = "TemplateError";
  }
}

/** Parses and checks a template once; rendering then only walks the checked tree. */
export function compileTemplate(name: string, text: string): CompiledTemplate {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs) || docs.length !== 1) throw new TemplateError(name, "must hold exactly one YAML document");
  const doc = docs[0]!;
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new TemplateError(name, problem.message);
  // Templates stay plain data: anchors, aliases and tags would let one value appear in places
  // a reviewer of the template does not see.
  visit(doc, (_key, node) => {
    if (isAlias(node)) throw new TemplateError(name, "aliases are not allowed");
    if (isNode(node) && node.anchor) throw new TemplateError(name, "anchors are not allowed");
    if (isNode(node) && node.tag) throw new TemplateError(name, `tags are not allowed (${node.tag})`);
    if (isScalar(node) && typeof node.value !== "string" && !["number", "boolean"].includes(typeof node.value) && node.value !== null) {
      throw new TemplateError(name, "only strings, numbers, booleans and null are allowed");
    }
  });
  const tree = doc.toJS();
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) throw new TemplateError(name, "must be a mapping");
  checkNode(name, tree, "$");
  return { name, when: fileCondition(name, text), tree };
}

/** The `# x-portal-when:` directive of the file's leading comment block, if any. */
function fileCondition(name: string, text: string): Condition | undefined {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((line) => !/^\s*(#.*)?$/.test(line));
  const leading = lines.slice(0, header === -1 ? lines.length : header);
  const directives = leading.filter((line) => line.includes(WHEN));
  const elsewhere = lines.slice(leading.length).some((line) => new RegExp(`^\\s*#.*${WHEN}`).test(line));
  if (elsewhere) throw new TemplateError(name, `a # ${WHEN} comment only works in the file's leading comment`);
  if (directives.length === 0) return undefined;
  const match = directives.length === 1 ? FILE_WHEN.exec(directives[0]!.replace(/^\s*#/, "")) : null;
  if (!match) throw new TemplateError(name, `malformed file directive: ${directives.join(" / ").trim()}`);
  return { negate: match[1] === "!", flag: match[2]! };
}

function checkNode(name: string, node: unknown, path: string, isListItem = false): void {
  if (typeof node === "string") return checkString(name, node, path, isListItem);
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkNode(name, item, `${path}[${i}]`, true));
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    // JS objects reorder integer-like keys and give "__proto__" a meaning: keep both out.
    if (/^(0|[1-9][0-9]*)$/.test(key) || key === "__proto__") throw new TemplateError(name, `key "${key}" at ${path} is not allowed`);
    if (key.includes("${")) throw new TemplateError(name, `placeholders are not allowed in keys (${path}.${key})`);
    if (key === WHEN || key === EACH) {
      if (typeof value !== "string" || !CONDITION.exec(value) || (key === EACH && value.startsWith("!"))) {
        throw new TemplateError(name, `${key} at ${path} needs a ${key === WHEN ? "flag" : "list"} name`);
      }
      if (key === EACH && !isListItem) throw new TemplateError(name, `${EACH} at ${path} must be in a list item`);
      continue;
    }
    checkNode(name, value, `${path}.${key}`);
  }
}

function checkString(name: string, value: string, path: string, isListItem: boolean): void {
  for (const match of value.matchAll(ANY_PLACEHOLDER)) {
    if (!PLACEHOLDER_BODY.test(match[1]!)) throw new TemplateError(name, `malformed placeholder ${match[0]} at ${path}`);
  }
  const whole = WHOLE_PLACEHOLDER.exec(value);
  const typed = value.match(/\$\{(str\??|int\??|num|bool|strings|ints):/);
  if (typed && !whole) throw new TemplateError(name, `typed placeholder must be the whole value at ${path}`);
  if (whole && (whole[1] === "strings" || whole[1] === "ints") && !isListItem) {
    throw new TemplateError(name, `${whole[0]} must be a whole list item at ${path}`);
  }
}

type Scope = { values: TemplateValues; item?: string; template: string };

/** The rendered tree, or undefined when the file's `x-portal-when` is false. */
export function renderTemplate(template: CompiledTemplate, values: TemplateValues): unknown {
  const scope: Scope = { values, template: template.name };
  if (template.when && !holds(scope, template.when)) return undefined;
  const rendered = renderNode(template.tree, scope);
  if (rendered === OMIT) throw new TemplateError(template.name, "rendered to nothing");
  return rendered;
}

function renderNode(node: unknown, scope: Scope): unknown {
  if (typeof node === "string") return renderString(node, scope);
  if (Array.isArray(node)) return renderList(node, scope);
  if (node !== null && typeof node === "object") return renderMap(node as Record<string, unknown>, scope);
  return node;
}

function renderList(list: unknown[], scope: Scope): unknown {
  const out: unknown[] = [];
  for (const item of list) {
    if (typeof item === "string" && item.includes("${")) {
      const whole = WHOLE_PLACEHOLDER.exec(item);
      if (whole && (whole[1] === "strings" || whole[1] === "ints")) {
        out.push(...spliced(whole[1], whole[2]!, scope));
        continue;
      }
    }
    if (isMap(item) && typeof item[EACH] === "string") {
      for (const element of listValue(item[EACH], scope)) {
        const rendered = renderNode(item, { ...scope, item: element });
        if (rendered !== OMIT) out.push(rendered);
      }
      continue;
    }
    const rendered = renderNode(item, scope);
    if (rendered !== OMIT) out.push(rendered);
  }
  return out.length === 0 && list.length > 0 ? OMIT : out;
}

function renderMap(map: Record<string, unknown>, scope: Scope): unknown {
  const when = map[WHEN];
  if (typeof when === "string" && !holds(scope, parseCondition(when))) return OMIT;
  const out: Record<string, unknown> = {};
  let entries = 0;
  for (const [key, value] of Object.entries(map)) {
    if (key === WHEN || key === EACH) continue;
    entries++;
    const rendered = renderNode(value, scope);
    if (rendered !== OMIT) out[key] = rendered;
  }
  return Object.keys(out).length === 0 && entries > 0 ? OMIT : out;
}

function renderString(text: string, scope: Scope): unknown {
  if (!text.includes("${")) return text; // no placeholder at all: most strings of a template
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole && whole[1] !== undefined) return typedValue(whole[1] as PlaceholderType, whole[2]!, scope);
  if (whole && lookup(whole[2]!, scope) === OMIT) return OMIT;
  return text.replace(INLINE_PLACEHOLDER, (_match, name: string) => {
    const value = lookup(name, scope);
    if (typeof value === "string") return value;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    throw new TemplateError(scope.template, `\${${name}} needs a string or number, got ${describe(value)}`);
  });
}

function typedValue(type: PlaceholderType, name: string, scope: Scope): unknown {
  const value = lookup(name, scope);
  if (value === OMIT) return OMIT;
  const nullable = type.endsWith("?");
  if (value === null && nullable) return null;
  const ok =
    ((type === "str" || type === "str?") && typeof value === "string") ||
    ((type === "int" || type === "int?") && Number.isInteger(value)) ||
    (type === "num" && typeof value === "number" && Number.isFinite(value)) ||
    (type === "bool" && typeof value === "boolean");
  if (!ok) throw new TemplateError(scope.template, `\${${type}:${name}} got ${describe(value)}`);
  return value;
}

function spliced(type: "strings" | "ints", name: string, scope: Scope): unknown[] {
  const value = lookup(name, scope);
  const ok = Array.isArray(value) && value.every((v) => (type === "strings" ? typeof v === "string" : Number.isInteger(v)));
  if (!ok) throw new TemplateError(scope.template, `\${${type}:${name}} got ${describe(value)}`);
  return [...(value as unknown[])];
}

function listValue(name: string, scope: Scope): readonly string[] {
  const value = lookup(name, scope);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TemplateError(scope.template, `${EACH}: ${name} needs a list of strings, got ${describe(value)}`);
  }
  return value as readonly string[];
}

function holds(scope: Scope, condition: Condition): boolean {
  const value = lookup(condition.flag, scope);
  if (typeof value !== "boolean") throw new TemplateError(scope.template, `flag ${condition.flag} needs a boolean, got ${describe(value)}`);
  return condition.negate ? !value : value;
}

function parseCondition(text: string): Condition {
  const match = CONDITION.exec(text)!;
  return { negate: match[1] === "!", flag: match[2]! };
}

function lookup(name: string, scope: Scope): TemplateValue | undefined {
  if (name === ITEM) {
    if (scope.item === undefined) throw new TemplateError(scope.template, `\${${ITEM}} used outside ${EACH}`);
    return scope.item;
  }
  if (!Object.hasOwn(scope.values, name)) throw new TemplateError(scope.template, `no value for \${${name}}`);
  return scope.values[name];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === OMIT) return "OMIT";
  if (Array.isArray(value)) return "a list";
  return value === null ? "null" : typeof value;
}

// Every plain-scalar pattern that some reader resolves to a non-string: YAML 1.1 (Go libraries:
// kubectl, Argo CD, Kyverno) reads "no", "on", "012" or "12:30" as booleans and numbers, YAML 1.2
// reads "0o17" as a number. A string matching any of them is written double-quoted.
const NON_STRING_PATTERNS = (["1.1", "1.2"] as const).flatMap((version) =>
  (new Document(null, { version }).schema.tags as { tag: string; test?: RegExp }[])
    .filter((t) => t.test && t.tag !== "tag:yaml.org,2002:str")
    .map((t) => t.test!),
);

// One regular expression doing the work of all of them (a single anchored pass instead of twenty
// calls per string): each pattern as one alternative, grouped by flags. Patterns with
// backreferences would change meaning once their groups are renumbered, so they stay separate.
const NON_STRING_TESTS: RegExp[] = (() => {
  const separate = NON_STRING_PATTERNS.filter((re) => /\\[1-9]|\\k</.test(re.source));
  const combinable = NON_STRING_PATTERNS.filter((re) => !separate.includes(re));
  const combined = [...new Set(combinable.map((re) => re.flags))].map(
    (flags) => new RegExp(combinable.filter((re) => re.flags === flags).map((re) => `(?:${re.source})`).join("|"), flags),
  );
  return [...combined, ...separate];
})();

/** True when some YAML 1.1 or 1.2 reader resolves `text`, written plain, to a non-string. */
export function isNonStringScalar(text: string): boolean {
  for (const re of NON_STRING_TESTS) if (re.test(text)) return true;
  return false;
}

/**
 * One YAML file, byte-stable: template key order, two-space indent, no line folding, no anchors,
 * and every string quoted wherever a YAML 1.1 or 1.2 reader could take it for something else.
 * Written by a small dedicated emitter (./yaml-emit.ts): building a `yaml` Document per file cost
 * most of the render time.
 */
export function serializeYaml(tree: unknown, header?: string): string {
  return emitYaml(tree, { nonString: isNonStringScalar, header });
}
