import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import type { PackScope } from "./pack.ts";

type Row = Record<string, unknown>;

/**
 * Stripe objects (`charges`, `refunds`, `disputes`, `invoices`) whose Stripe `created` falls in the
 * period, in the configured Stripe mode, by their Stripe id.
 */
export function createdInPeriod(scope: PackScope, table: "charges" | "refunds" | "disputes" | "invoices") {
  return keyset<Row>(
    scope.db,
    scope.pageSize,
    (last) => sql`
      SELECT * FROM ${sql.identifier(table)}
      WHERE created >= ${scope.start} AND created < ${scope.end} AND livemode = ${scope.livemode}
        AND id > ${last ? String(last.id) : ""}
      ORDER BY id LIMIT ${scope.pageSize}`,
  );
}
