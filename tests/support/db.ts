import { DEFAULT_PREPARED_STATEMENTS } from "../../src/config/env.ts";
import { type Database, DEFAULT_POOL_SIZE, openDatabase } from "../../src/db/client.ts";
import { pgliteTemplate } from "./pglite-template.ts";
import { cloneTemplate } from "./postgres-template.ts";

export interface TestDatabase extends Database {
  /** Close and (on Postgres) drop the database. */
  destroy(): Promise<void>;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: an in-memory PGlite loaded from the migrated
 * dump, or (TEST_DATABASE_URL set) a Postgres database cloned from the migrated template.
 */
export async function createTestDatabase(
  options: {
    poolSize?: number;
    /** On PGlite: start from this data-directory dump instead of the migrated one (ignored on Postgres). */
    pgliteDump?: Blob;
    /** On Postgres: named statements on the webhook path (the app's default unless told). */
    preparedStatements?: boolean;
  } = {},
): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const clone = await cloneTemplate(url);
    const database = await openDatabase({
      databaseUrl: clone.url,
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
      preparedStatements: options.preparedStatements ?? DEFAULT_PREPARED_STATEMENTS,
    });
    return {
      ...database,
      destroy: async () => {
        await database.close();
        await clone.drop();
      },
    };
  }
  const loadDataDir = options.pgliteDump ?? (await pgliteTemplate());
  const database = await openDatabase({ dataDir: "memory://", loadDataDir });
  return { ...database, destroy: () => database.close() };
}
