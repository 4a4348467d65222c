import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureTemplate } from "../../tests/support/postgres-template.ts";

export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database `revintel_bench_<label>_<random>` cloned from the migration template on the
 * same server. Always `drop()` it (the bench runner does so in `finally`).
 */
export async function createBenchDatabase(serverUrl: string, label: string): Promise<BenchDatabase> {
  const template = await ensureTemplate(serverUrl);
  const name = `revintel_bench_${label}_${randomBytes(3).toString("hex")}`;
  await admin(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * A pool on a bench database for the bench's own statements (data generation, baselines). The
 * database is dropped WITH (FORCE) at the end, maybe before an ended client's socket closed: a
 * connection cut then must not crash the run (it did, in the snapshots, webhooks and checkout benches).
 */
export function benchPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => {});
  return pool;
}
