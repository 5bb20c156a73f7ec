/**
 * Copies the upstream schemas the sandbox's cluster stand-in validates against (and the
 * template tests use) from ../shared/reference into sandbox/reference, so a fresh clone works
 * without the reference folder. CRDs keep only what validation reads — group, names, scope and
 * the served versions' openAPIV3Schema — with prose `description` annotations removed;
 * `npm run vendor:schemas -- --check` fails if the copy drifted from the reference.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const SOURCE = process.env.REFERENCE_DIR ?? path.resolve("..", "shared", "reference");
const TARGET = path.resolve("sandbox", "reference");
const check = process.argv.includes("--check");

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node)
        // A string-valued "description" is a schema annotation; an object-valued one is a property.
        .filter(([key, value]) => !(key === "description" && typeof value === "string"))
        .map(([key, value]) => [key, strip(value)]),
    );
  }
  return node;
}

type Crd = { metadata: { name: string }; spec: { group: string; scope: string; names: unknown; versions: { name: string; served: boolean; storage: boolean; schema?: unknown }[] } };

function vendorCrd(text: string): string {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Crd | null).filter((d): d is Crd => Boolean(d));
  const slim = docs.map((crd) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: crd.metadata.name },
    spec: {
      group: crd.spec.group,
      scope: crd.spec.scope,
      names: crd.spec.names,
      versions: crd.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage, ...(v.served && v.schema ? { schema: strip(v.schema) } : {}) })),
    },
  }));
  // JSON is YAML: one document per line keeps the loaders unchanged and the files diffable.
  return `${slim.map((d) => JSON.stringify(d)).join("\n---\n")}\n`;
}

if (!existsSync(SOURCE)) {
  console.error(`No reference folder at ${SOURCE}`);
  process.exit(check ? 0 : 1);
}
const outputs = new Map<string, string>();
for (const file of readdirSync(path.join(SOURCE, "crds")).filter((f) => f.endsWith(".yaml")).sort()) {
  outputs.set(path.join("crds", file), vendorCrd(readFileSync(path.join(SOURCE, "crds", file), "utf8")));
}
const swagger = JSON.parse(readFileSync(path.join(SOURCE, "k8s-openapi", "swagger-subset-core.json"), "utf8"));
outputs.set(path.join("k8s-openapi", "swagger-subset-core.json"), `${JSON.stringify({ definitions: strip(swagger.definitions) })}\n`);

let drift = 0;
for (const [relative, content] of outputs) {
  const target = path.join(TARGET, relative);
  if (check) {
    if (!existsSync(target) || readFileSync(target, "utf8") !== content) {
      console.error(`drift: ${relative}`);
      drift++;
    }
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
if (check && drift) process.exit(1);
console.log(check ? "vendored schemas match the reference" : `vendored ${outputs.size} files into ${TARGET}`);
