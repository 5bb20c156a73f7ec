import { readFileSync } from "node:fs";
import path from "node:path";
import { compileTemplate, type CompiledTemplate } from "./template-engine";

// Resolved at run time from the working directory (the repo, or the standalone server's folder,
// which must carry a copy of gitops-templates/ like it carries prisma/migrations); the bundler
// must not trace it.
export const TEMPLATES_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "gitops-templates");

const cache = new Map<string, CompiledTemplate>();

/**
 * A compiled template by its path under gitops-templates/. Compiled once per process: the
 * templates ship with the build and do not change while it runs.
 */
export function loadTemplate(name: string, dir = TEMPLATES_DIR): CompiledTemplate {
  const file = path.join(dir, name);
  const cached = cache.get(file);
  if (cached) return cached;
  if (!file.startsWith(dir + path.sep)) throw new Error(`Template outside the templates folder: ${name}`);
  const compiled = compileTemplate(name, readFileSync(/*turbopackIgnore: true*/ file, "utf8"));
  cache.set(file, compiled);
  return compiled;
}
