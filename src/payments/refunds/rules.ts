import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { orderLines } from "../../db/schema.ts";
import { ValidationError } from "../../shared/errors.ts";
import { refunds } from "../schema.ts";
import { refundRequests } from "./schema.ts";

/**
 * Order total − refunded − refunds still in flight. The refunded part is the larger of the order's
 * own total and the ledger's succeeded refunds (they agree once the webhooks are in). In flight:
 * the ledger's pending refunds and the requests not yet answered by the provider (refund_requests).
 * A request the provider answered whose webhook came first may count twice for a moment: too little
 * refundable, never too much. Call it with the order locked (`lockOrderForPayment`).
 */
export async function refundableNow(
  tx: Db,
  order: { id: number; amountTotal: number; amountRefunded: number },
): Promise<number> {
  const [ledger] = await tx
    .select({
      succeeded: sql<number>`COALESCE(SUM(${refunds.amount}) FILTER (WHERE ${refunds.status} = 'succeeded'), 0)::int`,
      pending: sql<number>`COALESCE(SUM(${refunds.amount}) FILTER (WHERE ${refunds.status} IN ('pending', 'requires_action')), 0)::int`,
    })
    .from(refunds)
    .where(eq(refunds.orderId, order.id));
  const [requested] = await tx
    .select({ amount: sql<number>`COALESCE(SUM(${refundRequests.amount}), 0)::int` })
    .from(refundRequests)
    .where(and(eq(refundRequests.orderId, order.id), eq(refundRequests.status, "pending")));
  const refunded = Math.max(order.amountRefunded, ledger?.succeeded ?? 0);
  const inFlight = (ledger?.pending ?? 0) + (requested?.amount ?? 0);
  return Math.max(0, order.amountTotal - refunded - inFlight);
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
  const lines = await tx
    .select({ id: orderLines.id, quantity: orderLines.quantity, restocked: orderLines.restockedQuantity })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId));
  const seen = new Set<number>();
  for (const [i, want] of restock.lines.entries()) {
    const line = lines.find((l) => l.id === want.lineId);
    if (!line || seen.has(want.lineId)) {
      throw new ValidationError(
        `restock.lines.${i}.lineId: not a line of this order`,
        `restock.lines.${i}.lineId`,
      );
    }
    seen.add(want.lineId);
    const left = line.quantity - line.restocked;
    if (want.quantity > left) {
      throw new ValidationError(
        `restock.lines.${i}.quantity: only ${left} units can still be restocked`,
        `restock.lines.${i}.quantity`,
      );
    }
  }
  return { mode: "lines", lines: restock.lines };
}
