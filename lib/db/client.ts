import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/config/env";
import { PrismaClient } from "./generated/client";
import { applyMigrations, loadMigrations, type SqlRunner } from "./migrate";

// Nothing reads a key's token hash by accident: queries that need it ask with `omit: false`.
const clientOptions = { omit: { apiKey: { tokenHash: true } } } as const;

type Adapter = NonNullable<ConstructorParameters<typeof PrismaClient>[0]["adapter"]>;

function makeClient(adapter: Adapter) {
  return new PrismaClient({ adapter, ...clientOptions });
}
export type Db = ReturnType<typeof makeClient>;

type Holder = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }> };
const holder = globalThis as typeof globalThis & Holder;

async function openPostgres(databaseUrl: string) {
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const runner: SqlRunner = {
      query: async <T,>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as T[] }),
      exec: async (sql) => client.query(sql),
    };
    await applyMigrations(runner, await loadMigrations());
  } finally {
    await client.end();
  }
  const db = makeClient(new PrismaPg({ connectionString: databaseUrl, max: 10 }));
  return { db, close: () => db.$disconnect() };
}

async function openPglite(dataDir: string) {
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = path.resolve(dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  // PGlite is one connection owned by this process; the globalThis holder guarantees a single
  // instance even when Next.js loads this module from several bundles.
  const pglite = await PGlite.create(dir);
  await applyMigrations(pglite as unknown as SqlRunner, await loadMigrations());
  const db = makeClient(new PrismaPGlite(pglite));
  return {
    db,
    close: async () => {
      await db.$disconnect();
      await pglite.close();
    },
  };
}

/** The process-wide client: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. */
export async function getDb(): Promise<Db> {
  holder.__portalDb ??= (async () => {
    const config = env();
    return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite(config.DATA_DIR);
  })();
  try {
    return (await holder.__portalDb).db;
  } catch (error) {
    holder.__portalDb = undefined; // let the next request retry instead of caching the failure
    throw error;
  }
}

export async function closeDb(): Promise<void> {
  const current = holder.__portalDb;
  holder.__portalDb = undefined;
  if (current) await (await current).close();
}
