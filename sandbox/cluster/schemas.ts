import fs from "node:fs";
import path from "node:path";
import Ajv, { type AnySchemaObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parseAllDocuments } from "yaml";
import { dedupeSchema } from "./dedupe-schema";
import type { KindInfo } from "./registry";
import { listTypeKeyword, quantityKeyword } from "./schema-keywords";

/**
 * Upstream schemas, compiled on first use and cached: the CRD files are large (KServe's
 * InferenceService alone takes seconds to compile), so nothing is parsed before a kind is needed.
 */

const DEFINITIONS_ID = "k8s-definitions";
const OBJECT_META = `${DEFINITIONS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

export function defaultReferenceDir(): string {
  // The vendored copy (npm run vendor:schemas) so a fresh clone validates without ../shared.
  return process.env.SANDBOX_REFERENCE_DIR ?? path.resolve(import.meta.dirname, "../reference");
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export class SchemaCatalog {
  private static readonly instances = new Map<string, SchemaCatalog>();

  /** One catalog per reference directory and process, so compiled schemas are shared. */
  static shared(referenceDir = defaultReferenceDir()): SchemaCatalog {
    let catalog = SchemaCatalog.instances.get(referenceDir);
    if (!catalog) SchemaCatalog.instances.set(referenceDir, (catalog = new SchemaCatalog(referenceDir)));
    return catalog;
  }

  private readonly ajv: Ajv;
  private definitions: Record<string, Json> | undefined;
  private readonly crdFiles = new Map<string, Json>();
  private readonly compiled = new Map<string, { validate: ValidateFunction; root: Json }>();

  constructor(readonly referenceDir = defaultReferenceDir()) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      verbose: true,
      // Like the API server's structural defaulting of CRDs; built-in defaults live in Go code
      // and are not part of the swagger, so core objects are stored as written.
      useDefaults: true,
      // Unknown x-kubernetes-* keywords are expected; warnings would only be noise.
      logger: { log() {}, warn() {}, error: console.error },
    });
    addFormats(this.ajv, ["date-time", "ipv4", "ipv6"]);
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("byte", /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    this.ajv.addKeyword(listTypeKeyword);
    this.ajv.addKeyword(quantityKeyword);
  }

  /** The compiled validator of one served version of a kind. */
  validator(info: KindInfo, version: string): ValidateFunction {
    return this.entry(info, version).validate;
  }

  /**
   * How the API server prints a data path: struct fields as `.name`, map keys as `[key]`
   * (`spec.template.spec.containers[0].resources.limits[memory]`), which only the schema knows.
   */
  fieldPath(info: KindInfo, version: string, instancePath: string): string {
    const { root } = this.entry(info, version);
    const segments = instancePath
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    let node: Json | undefined = root;
    let out = "";
    for (const segment of segments) {
      node = node && this.resolve(node, root);
      const declared = node && findProperty(node, segment, (n) => this.resolve(n, root));
      if (/^\d+$/.test(segment) && !declared) {
        out += `[${segment}]`;
        node = node && isObject(node.items) ? node.items : undefined;
      } else if (declared) {
        out += out ? `.${segment}` : segment;
        node = declared;
      } else {
        out += node && isObject(node.additionalProperties) ? `[${segment}]` : out ? `.${segment}` : segment;
        node = node && isObject(node.additionalProperties) ? node.additionalProperties : undefined;
      }
    }
    return out || "<root>";
  }

  private entry(info: KindInfo, version: string): { validate: ValidateFunction; root: Json } {
    const key = `${info.group}/${version}/${info.kind}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      this.loadDefinitions();
      const root = info.schema.source === "core" ? { $ref: `${DEFINITIONS_ID}#/definitions/${info.schema.definition}` } : this.crdSchema(info, version);
      entry = { validate: this.ajv.compile(root), root };
      this.compiled.set(key, entry);
    }
    return entry;
  }

  private resolve(node: Json, root: Json): Json | undefined {
    let current: Json | undefined = node;
    for (let hops = 0; current && typeof current.$ref === "string" && hops < 32; hops++) {
      const ref: string = current.$ref;
      const name = ref.slice(ref.lastIndexOf("/") + 1);
      current = ref.startsWith("#/$defs/") ? ((root.$defs as Record<string, Json> | undefined)?.[name]) : this.definitions?.[name];
    }
    return current;
  }

  private loadDefinitions(): void {
    if (this.definitions) return;
    const file = path.join(this.referenceDir, "k8s-openapi", "swagger-subset-core.json");
    const swagger = JSON.parse(readReference(file)) as { definitions: Record<string, Json> };
    const definitions: Record<string, Json> = {};
    for (const [name, def] of Object.entries(swagger.definitions)) definitions[name] = coreDefinition(name, def);
    this.ajv.addSchema({ $id: DEFINITIONS_ID, definitions });
    this.definitions = definitions;
  }

  private crdSchema(info: KindInfo, version: string): AnySchemaObject {
    if (info.schema.source !== "crd") throw new Error("not a CRD kind");
    let crd = this.crdFiles.get(info.schema.file);
    if (!crd) {
      const text = readReference(path.join(this.referenceDir, "crds", info.schema.file));
      crd = parseAllDocuments(text)[0]?.toJS() as Json;
      this.crdFiles.set(info.schema.file, crd);
    }
    const versions = ((crd.spec as Json).versions ?? []) as Json[];
    const entry = versions.find((v) => v.name === version);
    const schema = (entry?.schema as Json | undefined)?.openAPIV3Schema as Json | undefined;
    if (!schema) throw new Error(`CRD ${info.schema.file} has no schema for ${version}`);
    const copy = structuredClone(schema);
    // CRD schemas say little more than `metadata: {type: object}`; the API server still
    // validates ObjectMeta, plus whatever the CRD adds (some cap name lengths).
    const metadata = isObject(copy.properties) ? copy.properties.metadata : undefined;
    if (isObject(copy.properties)) delete copy.properties.metadata;
    closeObjects(copy);
    if (isObject(copy.properties)) {
      copy.properties.metadata = isObject(metadata) && metadata.properties ? { allOf: [{ $ref: OBJECT_META }, metadata] } : { $ref: OBJECT_META };
    }
    return dedupeSchema(copy);
  }
}

/** The schema of a declared property, looking through allOf (metadata is `allOf: [ObjectMeta, CRD's]`). */
function findProperty(node: Json, name: string, resolve: (n: Json) => Json | undefined): Json | undefined {
  const props = node.properties;
  if (isObject(props) && isObject(props[name])) return props[name];
  if (Array.isArray(node.allOf)) {
    for (const branch of node.allOf) {
      const resolved = isObject(branch) ? resolve(branch) : undefined;
      const found = resolved && findProperty(resolved, name, resolve);
      if (found) return found;
    }
  }
  return undefined;
}

function readReference(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(
      `Cannot read ${file}: the cluster stand-in validates against ../shared/reference (set SANDBOX_REFERENCE_DIR). ${(err as Error).message}`,
    );
  }
}

/** The swagger definition adjusted to what the API server's decoder accepts. */
function coreDefinition(name: string, def: Json): Json {
  // Swagger 2.0 describes these as strings, but the decoder accepts numbers too (`port: 8080`,
  // `cpu: 1`) — a literal reading would reject nearly every real manifest.
  if (name === "io.k8s.apimachinery.pkg.util.intstr.IntOrString") {
    return { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] };
  }
  if (name === "io.k8s.apimachinery.pkg.api.resource.Quantity") return { "x-sandbox-quantity": true };
  const copy = structuredClone(def);
  delete copy["x-kubernetes-group-version-kind"];
  closeObjects(copy);
  return copy;
}

/**
 * Marks declared-field objects as closed, so an unknown field is an error as with kubectl's
 * default strict field validation (a typo such as `replica:` is rejected, not silently pruned).
 * Junctor branches (anyOf/oneOf/allOf/not) are left alone: in structural schemas they only
 * restate fields the outer schema declares.
 */
function closeObjects(schema: Json): void {
  if (isObject(schema.properties)) {
    if (schema.additionalProperties === undefined && schema["x-kubernetes-preserve-unknown-fields"] !== true) {
      schema.additionalProperties = false;
    }
    for (const child of Object.values(schema.properties)) if (isObject(child)) closeObjects(child);
  }
  if (isObject(schema.items)) closeObjects(schema.items);
  if (isObject(schema.additionalProperties)) closeObjects(schema.additionalProperties);
}
