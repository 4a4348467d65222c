import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { ValidationError } from "../../shared/errors.ts";

/**
 * Order total − refunded − refunds still in flight. The refunded part is the larger of the order's
 * own total and the ledger's succeeded refunds (they agree once the webhooks are in).
 */
export async function refundableNow(tx: Db, orderId: number): Promise<number> {
  const row = await queryOne<{ total: number; refunded: number; succeeded: number; pending: number }>(
    tx,
    sql`SELECT o.amount_total AS total, o.amount_refunded AS refunded,
               COALESCE(SUM(r.amount) FILTER (WHERE r.status = 'succeeded'), 0)::int AS succeeded,
               COALESCE(SUM(r.amount) FILTER (WHERE r.status IN ('pending', 'requires_action')), 0)::int AS pending
        FROM orders o LEFT JOIN refunds r ON r.order_id = o.id
        WHERE o.id = ${orderId} GROUP BY o.id`,
  );
  if (!row) return 0;
  const refunded = Math.max(Number(row.refunded), Number(row.succeeded));
  return Math.max(0, Number(row.total) - refunded - Number(row.pending));
}

export type RestockChoice =
  | { mode: "none" }
  | { mode: "all" }
  | { mode: "lines"; lines: Array<{ lineId: number; quantity: number }> };

/**
 * Restock rule: `true` returns every unit of an unfulfilled order; a fulfilled order restocks only
 * the lines ops names (what came back), each at most its units not yet restocked.
 */
export async function validateRestock(
  tx: Db,
  orderId: number,
  fulfilled: boolean,
  restock: boolean | { lines: Array<{ lineId: number; quantity: number }> },
): Promise<RestockChoice> {
  if (restock === false) return { mode: "none" };
  if (restock === true) {
    if (fulfilled) {
      throw new ValidationError("restock: the order was shipped; choose the lines that came back", "restock");
    }
    return { mode: "all" };
  }
  const lines = await queryRows<{ id: number; quantity: number; restocked_quantity: number }>(
    tx,
    sql`SELECT id, quantity, restocked_quantity FROM order_lines WHERE order_id = ${orderId}`,
  );
  const seen = new Set<number>();
  for (const [i, want] of restock.lines.entries()) {
    const line = lines.find((l) => Number(l.id) === want.lineId);
    if (!line || seen.has(want.lineId)) {
      throw new ValidationError(
        `restock.lines.${i}.lineId: not a line of this order`,
        `restock.lines.${i}.lineId`,
      );
    }
    seen.add(want.lineId);
    const left = Number(line.quantity) - Number(line.restocked_quantity);
    if (want.quantity > left) {
      throw new ValidationError(
        `restock.lines.${i}.quantity: only ${left} units can still be restocked`,
        `restock.lines.${i}.quantity`,
      );
    }
  }
  return { mode: "lines", lines: restock.lines };
}
