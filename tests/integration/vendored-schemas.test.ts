import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// sandbox/reference is a slimmed copy of the upstream schemas in ../shared/reference; where the
// reference folder is present (developers' and CI machines), the copy must match it exactly.
const reference = path.resolve("..", "shared", "reference");

describe.skipIf(!existsSync(reference))("vendored schemas", () => {
  it("match ../shared/reference", () => {
    const out = execFileSync(process.execPath, ["node_modules/.bin/tsx", "scripts/vendor-schemas.ts", "--check"], { encoding: "utf8" });
    expect(out).toContain("vendored schemas match the reference");
  });
});
