import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { queryRows } from "../db/sql.ts";

/**
 * Rows per round trip: small enough for constant memory (two pages are held at a time), large
 * enough that per-query costs (planning, parallel workers) do not dominate.
 */
export const PAGE_SIZE = 5_000;

/**
 * Keyset pagination: `page(last)` returns the query for the rows after `last` (null on the first
 * page), ordered by a unique key and limited to `pageSize`. Memory holds one page at a time, and a
 * page costs the same at the end of a table as at its start (no OFFSET). The next page is asked for
 * as soon as a page arrives, so the database works on it while this one is written out.
 */
export async function* keyset<R extends Record<string, unknown>>(
  db: Db,
  pageSize: number,
  page: (last: R | null) => SQL,
): AsyncGenerator<R> {
  let next: Promise<R[]> | null = queryRows<R>(db, page(null));
  try {
    while (next) {
      const rows: R[] = await next;
      next = rows.length < pageSize ? null : queryRows<R>(db, page(rows[rows.length - 1]!));
      // A consumer that stops early must not leave a query failing unobserved.
      next?.catch(() => {});
      for (const row of rows) yield row;
    }
  } finally {
    // Stopped early: let the query in flight finish before the caller ends its transaction.
    await next?.catch(() => {});
  }
}
