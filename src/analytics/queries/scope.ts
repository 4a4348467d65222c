import { and, between, type Column, eq, type SQL, sql } from "drizzle-orm";

/** One currency and Stripe mode: every snapshot read is within one. */
export interface Scope {
  currency: string;
  livemode: boolean;
}

/** A snapshot table keyed by mode, currency and day. */
interface DailyTable {
  livemode: Column;
  currency: Column;
  day: Column;
}

/** The rows of `t` in the scope whose day lies in `from`..`to`. */
export function inDays(t: DailyTable, s: Scope, from: string, to: string): SQL {
  return and(eq(t.livemode, s.livemode), eq(t.currency, s.currency), between(t.day, from, to)) as SQL;
}

/** Sum of a column, 0 over no rows; `::bigint` so both drivers return a number (a `numeric` comes back as text). */
export const total = (column: Column | SQL) => sql<number>`coalesce(sum(${column}), 0)::bigint`;
