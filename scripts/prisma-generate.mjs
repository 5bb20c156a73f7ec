// Prisma 7's CLI insists on a schema-engine binary it downloads on first use; offline that
// download fails even though `generate` itself is pure JS/WASM and never runs the binary.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies the check.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  env,
  stdio: ["ignore", "pipe", "inherit"],
});
if (result.status !== 0) process.exit(result.status ?? 1);
