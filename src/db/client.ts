import { AsyncLocalStorage } from "node:async_hooks";
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
  /** `host:port` of a PostgreSQL server (postgres only), for connection errors. */
  address?: string;
  close(): Promise<void>;
  /** The node-postgres pool (postgres only): advisory locks, LISTEN, benchmarks. */
  pool?: pg.Pool;
  /** The embedded engine (pglite only): backup/restore. */
  pglite?: PGlite;
}

// Postgres returns int8/numeric as strings by default; our counts and sums fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Where statements are sent as named (prepared) statements: see withPreparedStatements. */
const preparedScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its statements sent as named statements on a pool opened with
 * `preparedStatements`: each connection parses and plans a statement text once and binds it every
 * time after (on the webhook path the backends' CPU per event fell by about 40% in paired bench runs).
 * For paths of key lookups and inserts only (the webhook path), where PostgreSQL's generic plans are
 * as good as custom ones; reports keep unnamed statements and their custom plans. Elsewhere
 * (PGlite, a pool without the option) it only runs `work`.
 */
export function withPreparedStatements<T>(work: () => Promise<T>): Promise<T> {
  return preparedScope.run(true, work);
}

/** Distinct statement texts one connection prepares; beyond it statements run unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** A pg client that names the statements sent inside withPreparedStatements (one name per text). */
class PreparingClient extends pg.Client {
  private readonly names = new Map<string, string>();

  // Overrides pg's overloaded query(); every form passes through unchanged but for the name.
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads cannot be restated one by one
  override query(config: any, values?: any, callback?: any): any {
    if (
      preparedScope.getStore() === true &&
      config !== null &&
      typeof config === "object" &&
      typeof config.text === "string" &&
      config.name === undefined &&
      typeof config.submit !== "function"
    ) {
      let name = this.names.get(config.text);
      if (name === undefined && this.names.size < MAX_PREPARED_PER_CONNECTION) {
        name = `revintel_${this.names.size + 1}`;
        this.names.set(config.text, name);
      }
      if (name !== undefined) config = { ...config, name };
    }
    return super.query(config, values, callback);
  }
}

/** Connections in a PostgreSQL pool unless `poolSize` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

export interface OpenOptions {
  databaseUrl?: string;
  /** PostgreSQL: name the statements sent inside withPreparedStatements (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /** Directory for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /** A PGlite data dump (tarball) to start from, used by tests for a fast migrated database. */
  loadDataDir?: Blob | File;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      ...(options.preparedStatements ? { Client: PreparingClient } : {}),
    });
    pool.on("error", () => {
      // An idle client lost its connection; the pool replaces it. Queries still report their own errors.
    });
    const url = new URL(options.databaseUrl);
    return {
      db: drizzleNodePg(pool, { schema, casing: "snake_case" }) as unknown as Db,
      kind: "postgres",
      label: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`,
      address: `${url.hostname}:${url.port || 5432}`,
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

/** Socket errors that mean no server answered at the address (as opposed to a query that failed). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

/** The database server could not be reached; the message names host:port, never the credentials. */
export class DatabaseUnreachableError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`the database at ${address} cannot be reached (${reason})`);
    this.name = "DatabaseUnreachableError";
  }
}

/** The socket error code behind a failed query (drizzle wraps it; Node may group several attempts). */
function unreachableCode(err: unknown, depth = 0): string | undefined {
  if (!(err instanceof Error) || depth > 5) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && UNREACHABLE.has(code)) return code;
  if (err instanceof AggregateError)
    for (const inner of err.errors) {
      const found = unreachableCode(inner, depth + 1);
      if (found) return found;
    }
  return unreachableCode(err.cause, depth + 1);
}

/**
 * Fails fast with a DatabaseUnreachableError when a PostgreSQL server does not answer, instead of
 * the first query's error (`Failed query: SELECT to_regclass(…)`). The embedded database always answers.
 */
export async function assertReachable(database: Database): Promise<void> {
  if (!database.pool) return;
  try {
    await database.pool.query("SELECT 1");
  } catch (err) {
    const code = unreachableCode(err);
    if (code) throw new DatabaseUnreachableError(database.address ?? database.label, code);
    throw err;
  }
}
