/** Ops actions and the pending-order TTL: fulfill, cancel (with its one-time stock release), expire. */
import { and, asc, eq, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import { type Actor, systemActor } from "../audit/index.ts";
import { returnStock } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import { AppError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { InvalidTransitionError } from "./errors.ts";
import { applyTransition } from "./lifecycle.ts";
import type { Order, OrderTxContext, OrderWithLines } from "./model.ts";
import { lockOrderForPayment } from "./payment-hooks.ts";
import { getOrder } from "./queries.ts";
import { orderLines, orders } from "./schema.ts";

const actionSchema = z.object({
  orderId: z.number().int().positive(),
  reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(500),
});

type ActionInput = { orderId: number; reason: string };

/**
 * What every ops action does around its own change: validate the input, lock the order, run `act`
 * in the same transaction, then read the order back with its lines.
 */
async function runOrderAction(
  ctx: OrderTxContext,
  input: ActionInput,
  act: (txCtx: OrderTxContext, order: Order, reason: string, at: Date) => Promise<unknown>,
): Promise<OrderWithLines> {
  const data = parseInput(actionSchema, input);
  const at = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const order = await lockOrderForPayment(tx, data.orderId);
    await act({ ...ctx, db: tx }, order, data.reason, at);
  });
  return (await getOrder(ctx, data.orderId))!;
}

/**
 * paid → fulfilled, with a reason; audited. What ships is each line's units not restocked by a
 * refund (`quantity − restocked_quantity`): restocked units are back on the shelf and sold again.
 * When every unit was restocked there is nothing to ship: `order.nothing_to_ship` (409), nothing
 * changes. Restocks lock the order row too, so they cannot slip in between the check and the move.
 */
export async function fulfillOrder(
  ctx: ServiceContext,
  input: ActionInput,
  actor: Actor,
): Promise<OrderWithLines> {
  return runOrderAction(ctx, input, async (txCtx, order, reason, at) => {
    if (order.status === "paid") {
      const lines = await txCtx.db
        .select({ quantity: orderLines.quantity, restocked: orderLines.restockedQuantity })
        .from(orderLines)
        .where(eq(orderLines.orderId, order.id));
      const toShip = lines.reduce((units, l) => units + l.quantity - l.restocked, 0);
      if (lines.length > 0 && toShip <= 0) {
        throw new AppError(
          "order.nothing_to_ship",
          `Order ${order.number} has nothing to ship: every unit was restocked by a refund (refund the rest instead)`,
          409,
          { orderNumber: order.number },
        );
      }
    }
    return applyTransition(txCtx, order, "fulfilled", actor, { at, reason });
  });
}

/**
 * pending → canceled, releasing the reserved stock exactly once: the order row is locked, the
 * release is guarded by `orders.stock_released_at` and each line's movement by the idempotency key
 * `release:<orderId>:<lineId>`. Canceling an already canceled order is a no-op (a double click or
 * two operators at once), so two concurrent calls release once.
 */
export async function cancelOrder(
  ctx: ServiceContext,
  input: ActionInput,
  actor: Actor,
): Promise<OrderWithLines> {
  return runOrderAction(ctx, input, async (txCtx, order, reason, at) => {
    if (order.status === "canceled") return;
    if (order.status !== "pending") throw new InvalidTransitionError(order.status, "canceled", order.number);
    await applyTransition(txCtx, order, "canceled", actor, { at, reason, extra: { cancelReason: reason } });
    const tx = txCtx.db;
    const claimed = await tx
      .update(orders)
      .set({ stockReleasedAt: at })
      .where(and(eq(orders.id, order.id), isNull(orders.stockReleasedAt)))
      .returning({ id: orders.id });
    if (claimed.length === 0) return;
    const lines = await tx
      .select()
      .from(orderLines)
      .where(eq(orderLines.orderId, order.id))
      .orderBy(asc(orderLines.productId));
    for (const line of lines) {
      await returnStock(tx, {
        productId: line.productId,
        quantity: line.quantity,
        reason: "release",
        idempotencyKey: `release:${order.id}:${line.id}`,
        orderId: order.id,
        at,
      });
    }
  });
}

/** The worker's TTL job: cancel pending orders older than PENDING_ORDER_TTL_MINUTES, releasing stock. */
export async function expirePendingOrders(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - ctx.config.pendingOrderTtlMinutes * 60_000);
  const stale = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "pending"), lt(orders.createdAt, cutoff)))
    .orderBy(asc(orders.id))
    .limit(1000);
  let expired = 0;
  for (const { id } of stale) {
    try {
      const after = await cancelOrder(
        ctx,
        { orderId: id, reason: `unpaid after ${ctx.config.pendingOrderTtlMinutes} minutes` },
        systemActor,
      );
      if (after.canceledAt?.getTime() === now.getTime()) expired++;
    } catch (err) {
      // Paid meanwhile (the webhook won the race): nothing to expire.
      if (!(err instanceof InvalidTransitionError)) throw err;
    }
  }
  return expired;
}
