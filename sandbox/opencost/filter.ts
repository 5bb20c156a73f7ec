import { ParamError } from "./window";

/**
 * A subset of OpenCost's v2 allocation filter language: `field:"a","b"` (any of the values),
 * `field!:"a"` (none of them), `label[name]:"v"`, clauses joined with `+` (and). Fields: cluster,
 * node, namespace, pod, controller, controllerKind. Anything else is refused (400), never
 * silently ignored: a filter that is dropped would widen a tenant-scoped query.
 */
export interface FilterTarget {
  cluster?: string;
  node?: string;
  namespace?: string;
  pod?: string;
  controller?: string;
  controllerKind?: string;
  labels?: Record<string, string>;
}

export type FilterFn = (target: FilterTarget) => boolean;

const FIELDS = new Set(["cluster", "node", "namespace", "pod", "controller", "controllerKind"]);
const CLAUSE = /^(\w+)(?:\[([A-Za-z0-9_./-]+)\])?(!?):((?:"[^"]*")(?:,"[^"]*")*)$/;

export const sanitizeLabel = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");

export function parseFilter(text: string): FilterFn {
  if (text.length > 2000) throw new ParamError("filter too long");
  const clauses = text.split("+").map((clause) => {
    const m = CLAUSE.exec(clause.trim());
    if (!m) throw new ParamError(`cannot parse filter clause: ${clause.slice(0, 100)}`);
    const [, field, labelName, negate, list] = m as unknown as [string, string, string | undefined, string, string];
    const values = list.split(",").map((v) => v.slice(1, -1));
    if (field === "label") {
      if (!labelName) throw new ParamError("label filter needs a name: label[name]");
      const key = sanitizeLabel(labelName);
      return (t: FilterTarget) => values.includes(t.labels?.[key] ?? "") !== (negate === "!");
    }
    if (!FIELDS.has(field) || labelName) throw new ParamError(`unsupported filter field: ${field}`);
    return (t: FilterTarget) => values.includes(String(t[field as keyof Omit<FilterTarget, "labels">] ?? "")) !== (negate === "!");
  });
  return (target) => clauses.every((c) => c(target));
}
