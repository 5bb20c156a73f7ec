import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { applyMigrations, loadMigrations, type SqlRunner } from "@/lib/db/migrate";

type Adapter = NonNullable<ConstructorParameters<typeof PrismaClient>[0]["adapter"]>;

// Same options as lib/db/client.ts (not exported there): tests must see the production defaults,
// in particular the omitted token hash.
function makeClient(adapter: Adapter): Db {
  return new PrismaClient({ adapter, omit: { apiKey: { tokenHash: true } } });
}

/** A fresh, empty database: a raw runner for migrations and a Prisma client on the same data. */
export type TestDb = {
  sql: SqlRunner;
  db: Db;
  /** Empty database → every migration applied. */
  migrate: () => Promise<string[]>;
  close: () => Promise<void>;
};

export type TestDatabase = {
  name: "pglite" | "postgres";
  /** PGlite is one connection in one process: transactions never overlap, so races cannot happen. */
  concurrent: boolean;
  open: () => Promise<TestDb>;
};

async function openPglite(): Promise<TestDb> {
  const dir = await mkdtemp(path.join(tmpdir(), "portal-pglite-"));
  const pglite = await PGlite.create(dir);
  const sql = pglite as unknown as SqlRunner;
  const db = makeClient(new PrismaPGlite(pglite));
  return {
    sql,
    db,
    migrate: async () => applyMigrations(sql, await loadMigrations()),
    close: async () => {
      await db.$disconnect();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(serverUrl: string): Promise<TestDb> {
  const name = `portal_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const sql: SqlRunner = {
    query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as T[] }),
    exec: async (text) => client.query(text),
  };
  const db = makeClient(new PrismaPg({ connectionString: url.toString(), max: 12 }));
  return {
    sql,
    db,
    migrate: async () => applyMigrations(sql, await loadMigrations()),
    close: async () => {
      await db.$disconnect().catch(() => undefined);
      await client.end().catch(() => undefined);
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * The databases every integration test runs against: PGlite always (the embedded default), and
 * PostgreSQL as well when DATABASE_URL points at a server (CI), each test file in its own
 * throw-away database.
 */
export function testDatabases(): TestDatabase[] {
  const targets: TestDatabase[] = [{ name: "pglite", concurrent: false, open: openPglite }];
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) targets.push({ name: "postgres", concurrent: true, open: () => openPostgres(serverUrl) });
  return targets;
}
