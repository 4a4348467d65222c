import type { Db, Tx } from "./client.ts";

/**
 * Run `work` in a transaction. Inside an existing transaction it joins it (drizzle opens a savepoint),
 * so a service can be called alone or as part of a larger use case.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
