import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../../src/db/client.ts";
import { MIGRATIONS_FOLDER, migrate } from "../../src/db/migrate.ts";

/** Template name changes whenever a migration file changes, so stale templates are never reused. */
export function templateName(): string {
  const hash = createHash("sha256");
  for (const f of readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    hash.update(f).update(readFileSync(join(MIGRATIONS_FOLDER, f)));
  }
  return `revintel_tpl_${hash.digest("hex").slice(0, 12)}`;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function ensureTemplate(url: string): Promise<string> {
  const name = templateName();
  await admin(url, async (client) => {
    // Serialise concurrent test runs building the same template.
    await client.query("SELECT pg_advisory_lock(7240099)");
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount) return;
      const building = `${name}_build_${randomBytes(3).toString("hex")}`;
      await client.query(`CREATE DATABASE "${building}"`);
      const database = await openDatabase({ databaseUrl: withDatabase(url, building), poolSize: 2 });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(7240099)");
    }
  });
  return name;
}

/** A fresh database cloned from the template; returns its URL and a drop function. */
export async function cloneTemplate(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await ensureTemplate(url);
  const name = `revintel_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await admin(url, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: withDatabase(url, name),
    drop: () =>
      admin(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
