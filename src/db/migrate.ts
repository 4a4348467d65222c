import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "./client.ts";
import { queryOne } from "./sql.ts";

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");
/** Arbitrary constant: the session advisory lock that serialises migrators across replicas. */
const MIGRATION_LOCK = 7_240_001;

export function journalEntries(folder = MIGRATIONS_FOLDER): number {
  const journal = join(folder, "meta", "_journal.json");
  if (!existsSync(journal)) return 0;
  return (JSON.parse(readFileSync(journal, "utf8")) as { entries: unknown[] }).entries.length;
}

/** Apply every committed migration not yet applied. Safe to run from several processes at once. */
export async function migrate(database: Database): Promise<{ applied: number; total: number }> {
  const before = await appliedMigrations(database);
  if (database.kind === "postgres" && database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await migrateNodePg(database.db as unknown as NodePgDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  } else {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
  }
  const after = await appliedMigrations(database);
  return { applied: after - before, total: journalEntries() };
}

export async function appliedMigrations(database: Database): Promise<number> {
  const exists = await queryOne<{ present: boolean }>(
    database.db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists?.present) return 0;
  const row = await queryOne<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
  );
  return row?.n ?? 0;
}

/** Readiness: the database answers and every committed migration is applied. */
export async function isMigrated(database: Database): Promise<boolean> {
  return (await appliedMigrations(database)) >= journalEntries();
}
