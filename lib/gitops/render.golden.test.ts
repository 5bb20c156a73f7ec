import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_CASES, renderCase } from "./testing/cases";

// Pinned output of the cases in testing/cases.ts. A template change shows up here as a diff to
// review; `UPDATE_GOLDEN=1 npx vitest run --project unit lib/gitops/render.golden.test.ts`
// rewrites the files after an intended change.
const GOLDEN_DIR = path.join(import.meta.dirname, "__golden__");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function readTree(dir: string, prefix = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) for (const [k, v] of readTree(full, rel)) files.set(k, v);
    else files.set(rel, readFileSync(full, "utf8"));
  }
  return files;
}

describe("golden files", () => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))("%s matches __golden__", (name, c) => {
    const rendered = renderCase(c);
    const dir = path.join(GOLDEN_DIR, name);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const file of rendered) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), file.content);
      }
    }
    const golden = readTree(dir);
    expect(rendered.map((f) => f.path)).toEqual([...golden.keys()].sort());
    for (const file of rendered) expect(file.content, file.path).toBe(golden.get(file.path));
  });

  it("has a golden folder for every case and no orphans", () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  });
});
