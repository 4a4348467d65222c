import { sql } from "drizzle-orm";
import type { charges, disputes, invoices, refunds } from "../db/schema.ts";
import { keyset } from "./keyset.ts";
import type { PackScope } from "./pack.ts";

type Row = Record<string, unknown>;

/**
 * Stripe objects (`charges`, `refunds`, `disputes`, `invoices`) whose Stripe `created` falls in the
 * period, in the configured Stripe mode, by their Stripe id.
 */
export function createdInPeriod(
  scope: PackScope,
  table: typeof charges | typeof refunds | typeof disputes | typeof invoices,
) {
  return keyset<Row>(
    scope.db,
    scope.pageSize,
    (last) => sql`
      SELECT * FROM ${table}
      WHERE ${table.created} >= ${scope.start} AND ${table.created} < ${scope.end}
        AND ${table.livemode} = ${scope.livemode} AND ${table.id} > ${last ? String(last.id) : ""}
      ORDER BY ${table.id} LIMIT ${scope.pageSize}`,
  );
}
