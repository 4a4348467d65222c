import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import { drizzleClient } from "./pglite-parsers.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** A database handle or an open transaction: services accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where it lives, without credentials (for logs and readiness). */
  label: string;
  close(): Promise<void>;
  /** The node-postgres pool (postgres only): advisory locks, LISTEN, benchmarks. */
  pool?: pg.Pool;
  /** The embedded engine (pglite only): backup/restore. */
  pglite?: PGlite;
}

// Postgres returns int8/numeric as strings by default; our counts and sums fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  /** Directory for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /** A PGlite data dump (tarball) to start from, used by tests for a fast migrated database. */
  loadDataDir?: Blob | File;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on("error", () => {
      // An idle client lost its connection; the pool replaces it. Queries still report their own errors.
    });
    const url = new URL(options.databaseUrl);
    return {
      db: drizzleNodePg(pool, { schema, casing: "snake_case" }) as unknown as Db,
      kind: "postgres",
      label: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`,
      pool,
      close: () => pool.end(),
    };
  }
  // The embedded engine (a WebAssembly Postgres, about 50 MB resident) loads only when it is used.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  const dir = options.dataDir ?? "./data";
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir.startsWith("memory://") ? undefined : dir, {
    loadDataDir: options.loadDataDir,
  });
  return {
    db: drizzlePglite(drizzleClient(client) as PGlite, { schema, casing: "snake_case" }) as unknown as Db,
    kind: "pglite",
    label: dir.startsWith("memory://") ? "embedded (memory)" : `embedded (${dir})`,
    pglite: client,
    close: () => client.close(),
  };
}
