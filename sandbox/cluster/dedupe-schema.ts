/**
 * Hoists repeated subschemas into `$defs` so Ajv compiles each once. Generated CRDs inline the
 * same PodSpec/Container schema dozens of times (KServe's InferenceService: predictor,
 * transformer, explainer, workers…); without this the first InferenceService takes several
 * seconds to validate.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Schema-valued positions of a schema; everything else (enum, required, default…) is data. */
function childSlots(node: Json): Array<[Json | unknown[], string | number]> {
  const slots: Array<[Json | unknown[], string | number]> = [];
  for (const key of ["items", "additionalProperties", "not"]) if (isObject(node[key])) slots.push([node, key]);
  for (const key of ["properties", "patternProperties"]) {
    const map = node[key];
    if (isObject(map)) for (const name of Object.keys(map)) if (isObject(map[name])) slots.push([map, name]);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((item, i) => isObject(item) && slots.push([list, i]));
  }
  return slots;
}

const MIN_SIZE = 1500;

export function dedupeSchema(root: Json): Json {
  const ids = new Map<string, number>(); // structural key → id
  const counts = new Map<number, number>();
  const info = new Map<Json, { id: number; size: number }>();

  // Post-order: a node's key names its children by id, so equal subtrees get equal ids cheaply.
  const visit = (node: Json): { id: number; size: number } => {
    let size = 0;
    const childIds = new Map<unknown, number>();
    for (const [holder, slot] of childSlots(node)) {
      const child = (holder as Record<string | number, unknown>)[slot] as Json;
      const r = visit(child);
      size += r.size;
      childIds.set(child, r.id);
    }
    const key = JSON.stringify(node, (_k, v: unknown) => (v !== node && childIds.has(v) ? `\u0000${childIds.get(v)}` : v));
    size += key.length;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    counts.set(id, (counts.get(id) ?? 0) + 1);
    const r = { id, size };
    info.set(node, r);
    return r;
  };
  visit(root);

  const defs: Json = {};
  const replace = (node: Json): void => {
    for (const [holder, slot] of childSlots(node)) {
      const child = (holder as Record<string | number, unknown>)[slot] as Json;
      const r = info.get(child)!;
      if (r.size >= MIN_SIZE && (counts.get(r.id) ?? 0) > 1) {
        const name = `s${r.id}`;
        if (!(name in defs)) {
          defs[name] = child;
          replace(child);
        }
        (holder as Record<string | number, unknown>)[slot] = { $ref: `#/$defs/${name}` };
      } else {
        replace(child);
      }
    }
  };
  replace(root);
  return Object.keys(defs).length ? { ...root, $defs: defs } : root;
}
