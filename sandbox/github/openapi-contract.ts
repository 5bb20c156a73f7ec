import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// Test support: validates bodies against GitHub's own OpenAPI description
// (@octokit/openapi, api.github.com). The document is OpenAPI 3.0, so
// `nullable` is rewritten for JSON Schema, internal $refs are pointed at one
// registered copy of `components`, and `additionalProperties: false` is
// dropped: a stand-in may send more than GitHub documents, never less.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, JsonObject> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, JsonObject> };
  "x-webhooks": Record<string, { post: { requestBody: { content: Record<string, { schema: Json }> } } }>;
}

const DOC_ID = "github-openapi";

function loadDocument(): OpenApiDoc {
  const file = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc;
}

/** OpenAPI 3.0 → JSON Schema for Ajv, recursively. */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "example" || key === "examples" || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) out[key] = `${DOC_ID}${value}`;
    else if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      // Property names are data, not keywords: a property may well be called "example".
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convert(schema)]));
    } else out[key] = convert(value);
  }
  // An object schema that lists properties may still carry more in our responses.
  if (out.additionalProperties === false && out.properties && Object.keys(out.properties).length > 0) delete out.additionalProperties;
  if (node.nullable === true) return { anyOf: [out, { type: "null" }] };
  return out;
}

export interface Violation {
  where: string;
  errors: string;
}

export class OpenApiContract {
  private readonly doc = loadDocument();
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    addFormats(this.ajv);
    // Formats GitHub uses that JSON Schema does not define; types are still checked.
    for (const name of ["int64", "int32", "timestamp", "uri-template", "repo.nwo", "binary"]) this.ajv.addFormat(name, true);
    // GitHub's own noreply addresses for app bots ("123+app[bot]@users.noreply.github.com")
    // fail ajv-formats' strict email pattern; accept what GitHub itself sends.
    this.ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
    this.ajv.addSchema({ $id: DOC_ID, components: { schemas: convert(this.doc.components.schemas as Json) } });
  }

  hasOperation(method: string, path: string): boolean {
    return this.doc.paths[path]?.[method.toLowerCase()] !== undefined;
  }

  /** Statuses the description documents for an operation. */
  statuses(method: string, path: string): string[] {
    return Object.keys(this.doc.paths[path]?.[method.toLowerCase()]?.responses ?? {});
  }

  private compile(key: string, schema: Json): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(convert(schema) as object);
      this.cache.set(key, validate);
    }
    return validate;
  }

  private report(where: string, validate: ValidateFunction, body: unknown): Violation | undefined {
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
    return { where, errors: errors.join("\n") };
  }

  /** Checks a response body against the schema GitHub documents for that operation and status. */
  checkResponse(method: string, path: string, status: number, body: unknown): Violation | undefined {
    const where = `${method} ${path} → ${status}`;
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) return { where, errors: "operation not in GitHub's OpenAPI description" };
    let response = op.responses[String(status)];
    if (!response) return { where, errors: `status not documented (documented: ${Object.keys(op.responses).join(", ")})` };
    const ref = response.$ref;
    if (typeof ref === "string") response = this.doc.components.responses[ref.split("/").pop()!]!;
    const content = response.content as Record<string, { schema: Json }> | undefined;
    if (!content) {
      if (body === undefined || body === "") return undefined;
      // Errors documented without a body still carry GitHub's error JSON in practice.
      if (status >= 400) return this.report(where, this.compile("basic-error", { $ref: "#/components/schemas/basic-error" }), body);
      return { where, errors: "documented without a body, but one was sent" };
    }
    const media = content["application/json"] ?? Object.values(content)[0]!;
    return this.report(where, this.compile(`${where}`, media.schema), body);
  }

  /** Checks a webhook payload against the documented schema, e.g. "pull-request-opened" or "push". */
  checkWebhook(name: string, payload: unknown): Violation | undefined {
    const hook = this.doc["x-webhooks"][name];
    if (!hook) return { where: `webhook ${name}`, errors: "webhook not in GitHub's OpenAPI description" };
    return this.report(`webhook ${name}`, this.compile(`webhook ${name}`, hook.post.requestBody.content["application/json"]!.schema), payload);
  }
}
