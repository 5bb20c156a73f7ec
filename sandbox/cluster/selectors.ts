/**
 * Label and field selectors as the API server parses them from `?labelSelector=` and
 * `?fieldSelector=` (a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a; fields: =, ==, !=).
 */

export type Selector = (labels: Record<string, string> | undefined) => boolean;

export class SelectorError extends Error {}

export function parseLabelSelector(text: string | null | undefined): Selector {
  if (!text || !text.trim()) return () => true;
  const tests = splitTerms(text).map(parseTerm);
  return (labels) => tests.every((t) => t(labels ?? {}));
}

/** Splits on commas that are not inside `in (...)` value lists. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

const KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";

function parseTerm(term: string): (labels: Record<string, string>) => boolean {
  let m = new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^)]*)\\)$`).exec(term);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(",").map((v) => v.trim()));
    return op === "in" ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
  }
  m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(term);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = new RegExp(`^(!?)\\s*(${KEY})$`).exec(term);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`);
}

/** Field selectors: only the fields every resource supports. */
export function parseFieldSelector(text: string | null | undefined): (fields: Record<string, string>) => boolean {
  if (!text || !text.trim()) return () => true;
  const tests = text.split(",").map((term) => {
    const m = /^\s*([A-Za-z.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (field !== "metadata.name" && field !== "metadata.namespace") {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return (f: Record<string, string>) => (op === "!=" ? f[field] !== value : f[field] === value);
  });
  return (fields) => tests.every((t) => t(fields));
}
