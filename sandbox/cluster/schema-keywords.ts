import type { AnySchemaObject, FuncKeywordDefinition, SchemaValidateFunction } from "ajv";

/**
 * The two Kubernetes schema rules that JSON Schema has no keyword for and that templates get
 * wrong in practice: duplicate entries of `x-kubernetes-list-type: map|set` lists (two
 * containers called `main`, two ports named `http`) and malformed resource quantities.
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const validateListType: SchemaValidateFunction = (listType: unknown, data: unknown, parentSchema?: AnySchemaObject) => {
  const errors: NonNullable<SchemaValidateFunction["errors"]> = [];
  validateListType.errors = errors;
  if (!Array.isArray(data) || (listType !== "set" && listType !== "map")) return true;
  const keys = listType === "map" ? ((parentSchema?.["x-kubernetes-list-map-keys"] as string[] | undefined) ?? []) : [];
  const seen = new Set<string>();
  data.forEach((item: unknown, index) => {
    const identity =
      listType === "set"
        ? canonical(item)
        : canonical(Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown> | null)?.[k]])));
    if (seen.has(identity)) {
      errors.push({
        keyword: "x-kubernetes-list-type",
        message: "Duplicate value",
        params: { index, value: listType === "set" ? item : JSON.parse(identity) },
      });
    }
    seen.add(identity);
  });
  return errors.length === 0;
};

export const listTypeKeyword: FuncKeywordDefinition = {
  keyword: "x-kubernetes-list-type",
  schemaType: "string",
  errors: true,
  validate: validateListType,
};

/** resource.Quantity's accepted syntax (apimachinery's quantity regexp). */
export const QUANTITY_PATTERN = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const validateQuantity: SchemaValidateFunction = (_enabled: unknown, data: unknown) => {
  validateQuantity.errors = [];
  if (typeof data === "number" && Number.isFinite(data)) return true;
  if (typeof data === "string" && QUANTITY_PATTERN.test(data) && /[0-9]/.test(data)) return true;
  validateQuantity.errors = [{ keyword: "x-sandbox-quantity", message: "quantity", params: {} }];
  return false;
};

export const quantityKeyword: FuncKeywordDefinition = {
  keyword: "x-sandbox-quantity",
  errors: true,
  validate: validateQuantity,
};
