import { defineConfig } from "prisma/config";

// Only `prisma generate` runs through this file: migrations are plain SQL applied by
// lib/db/migrate.ts (the CLI's schema engine cannot be downloaded offline; see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
