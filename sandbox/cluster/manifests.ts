import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { TreeFile } from "./git";

/**
 * Manifest generation as Argo CD's repo-server does it for one Application source path: plain
 * YAML/JSON files (recursively, like `directory.recurse: true`), or `kubectl kustomize` when the
 * path holds a kustomization. A failure here is a ComparisonError, not a sync failure.
 */

export interface Manifest {
  object: Record<string, unknown>;
  /** Repo-relative file the object came from (the app path for kustomize output). */
  source: string;
}

export type SourceType = "Directory" | "Kustomize";

export type RenderResult =
  | { ok: true; sourceType: SourceType; manifests: Manifest[] }
  | { ok: false; sourceType: SourceType; error: string };

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const KUSTOMIZATION = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const run = promisify(execFile);

export interface RenderInput {
  appPath: string;
  /** Files under appPath at the commit. */
  files: TreeFile[];
  readBlobs: (blobs: string[]) => Promise<Map<string, string>>;
  /** A directory holding the commit's full tree (created on demand, only for kustomize). */
  checkout: () => Promise<string>;
}

export async function renderManifests(input: RenderInput): Promise<RenderResult> {
  const isKustomize = input.files.some((f) => KUSTOMIZATION.some((k) => f.path === `${input.appPath}/${k}`));
  return isKustomize ? renderKustomize(input) : renderDirectory(input);
}

async function renderDirectory(input: RenderInput): Promise<RenderResult> {
  const files = input.files.filter((f) => MANIFEST_FILE.test(f.path)).sort((a, b) => a.path.localeCompare(b.path));
  const contents = await input.readBlobs(files.map((f) => f.blob));
  const manifests: Manifest[] = [];
  for (const file of files) {
    const parsed = parseDocuments(contents.get(file.blob) ?? "", file.path);
    if (typeof parsed === "string") return { ok: false, sourceType: "Directory", error: parsed };
    manifests.push(...parsed);
  }
  return { ok: true, sourceType: "Directory", manifests };
}

async function renderKustomize(input: RenderInput): Promise<RenderResult> {
  const dir = path.join(await input.checkout(), input.appPath);
  let output: string;
  try {
    ({ stdout: output } = await run("kubectl", ["kustomize", dir], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    const detail = e.code === "ENOENT" ? "kubectl not found (needed to render kustomizations)" : (e.stderr?.trim() || e.message).replaceAll(dir, input.appPath);
    return { ok: false, sourceType: "Kustomize", error: `${input.appPath}: kustomize build failed: ${detail}` };
  }
  const parsed = parseDocuments(output, input.appPath);
  return typeof parsed === "string" ? { ok: false, sourceType: "Kustomize", error: parsed } : { ok: true, sourceType: "Kustomize", manifests: parsed };
}

/** The objects of a multi-document file, or an error message. `v1 List`s are flattened. */
export function parseDocuments(text: string, source: string): Manifest[] | string {
  const manifests: Manifest[] = [];
  const docs = parseAllDocuments(text);
  for (const [index, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    const error = doc.errors[0];
    if (error) return `failed to unmarshal ${JSON.stringify(source)}: ${error.message.split("\n")[0]}`;
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      return `failed to unmarshal ${JSON.stringify(source)}: document ${index + 1} is not a mapping`;
    }
    const object = value as Record<string, unknown>;
    const missing = ["apiVersion", "kind"].find((f) => typeof object[f] !== "string" || object[f] === "");
    if (missing) {
      const field = missing === "kind" ? "Kind" : "apiVersion";
      return `failed to unmarshal ${JSON.stringify(source)}: Object '${field}' is missing in '${JSON.stringify(object).slice(0, 200)}'`;
    }
    if (typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) {
      for (const item of object.items) if (item && typeof item === "object") manifests.push({ object: item as Record<string, unknown>, source });
    } else {
      manifests.push({ object, source });
    }
  }
  return manifests;
}
