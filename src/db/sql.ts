import type { SQL } from "drizzle-orm";
import type { Db } from "./client.ts";

/** Run raw SQL and return its rows; both drivers expose `.rows`. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function queryOne<T extends Record<string, unknown>>(
  db: Db,
  query: SQL,
): Promise<T | undefined> {
  const rows = await queryRows<T>(db, query);
  return rows[0];
}
