import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { queryRows } from "../db/sql.ts";

/** Rows per round trip: small enough for constant memory, large enough that latency does not dominate. */
export const PAGE_SIZE = 5000;

/**
 * Keyset pagination: `page(last)` returns the query for the rows after `last` (null on the first
 * page), ordered by a unique key and limited to `pageSize`. Memory holds one page at a time, and a
 * page costs the same at the end of a table as at its start (no OFFSET).
 */
export async function* keyset<R extends Record<string, unknown>>(
  db: Db,
  pageSize: number,
  page: (last: R | null) => SQL,
): AsyncGenerator<R> {
  let last: R | null = null;
  for (;;) {
    const rows: R[] = await queryRows<R>(db, page(last));
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1]!;
  }
}
