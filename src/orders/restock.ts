import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../audit/index.ts";
import { audit } from "../audit/index.ts";
import { returnStock } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import { stockMovements } from "../db/schema.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { isOperator, type OrderWithLines } from "./model.ts";
import { lockOrderForPayment } from "./payment-hooks.ts";
import { getOrder } from "./queries.ts";
import { orderLines } from "./schema.ts";

const restockSchema = z.object({
  orderId: z.number().int().positive(),
  refundKey: z.string().min(1).max(200),
  /** Empty on an unfulfilled order: every line's remaining units. */
  lines: z
    .array(z.object({ lineId: z.number().int().positive(), quantity: z.number().int().min(1) }))
    .max(500),
});

/**
 * Put refunded units back on the shelf, exactly once per (refundKey, line) through
 * stock_movements.idempotency_key `restock:<refundKey>:<lineId>`. Allowed for every line of a paid,
 * unfulfilled order (empty `lines` = all remaining units) and per line of a fulfilled one (the units
 * that came back). A refunded order counts as fulfilled when it had been shipped.
 */
export async function restockOrderLines(
  ctx: ServiceContext,
  input: {
    orderId: number;
    refundKey: string;
    lines: Array<{ lineId: number; quantity: number }>;
    at?: Date;
  },
  actor: Actor,
): Promise<OrderWithLines> {
  const data = parseInput(restockSchema, input);
  const at = input.at ?? ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const order = await lockOrderForPayment(tx, data.orderId);
    if (order.status === "pending" || order.status === "canceled") {
      throw new AppError(
        "order.restock_not_allowed",
        `Order ${order.number} is ${order.status}: nothing to restock`,
        409,
      );
    }
    const shipped = order.fulfilledAt !== null;
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).for("update");
    if (shipped && data.lines.length === 0) {
      throw new ValidationError("lines: choose the lines that came back (the order was shipped)", "lines");
    }
    const wanted = data.lines.length
      ? data.lines
      : lines
          .map((l) => ({ lineId: l.id, quantity: l.quantity - l.restockedQuantity }))
          .filter((l) => l.quantity > 0);
    for (const [i, want] of wanted.entries()) {
      const line = lines.find((l) => l.id === want.lineId);
      if (!line)
        throw new ValidationError(`lines.${i}.lineId: not a line of this order`, `lines.${i}.lineId`);
      const key = `restock:${data.refundKey}:${line.id}`;
      if (want.quantity > line.quantity - line.restockedQuantity) {
        const done = await tx
          .select({ id: stockMovements.id })
          .from(stockMovements)
          .where(eq(stockMovements.idempotencyKey, key))
          .limit(1);
        if (done.length) continue; // already applied: replay
        throw new ValidationError(
          `lines.${i}.quantity: more than the ${line.quantity - line.restockedQuantity} units left`,
          `lines.${i}.quantity`,
        );
      }
      const fresh = await returnStock(tx, {
        productId: line.productId,
        quantity: want.quantity,
        reason: "restock",
        idempotencyKey: key,
        orderId: order.id,
        at,
      });
      if (!fresh) continue;
      await tx
        .update(orderLines)
        .set({ restockedQuantity: sql`${orderLines.restockedQuantity} + ${want.quantity}` })
        .where(and(eq(orderLines.id, line.id), eq(orderLines.orderId, order.id)));
      line.restockedQuantity += want.quantity;
      if (isOperator(actor)) {
        await audit(
          tx,
          actor,
          "order.restock",
          { type: "order", id: order.id },
          { lineId: line.id, quantity: want.quantity, refundKey: data.refundKey },
          null,
          at,
        );
      }
    }
  });
  return (await getOrder(ctx, data.orderId))!;
}
