/** What the payments side calls when Stripe (or the offline simulator) reports money movements. */
import { and, eq } from "drizzle-orm";
import { markDaysDirty } from "../analytics/dirty.ts";
import type { Actor } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";
import { InvalidTransitionError, RefundExceedsTotalError } from "./errors.ts";
import { applyTransition } from "./lifecycle.ts";
import type { Order, OrderTxContext, OrderWithLines } from "./model.ts";
import { getOrder } from "./queries.ts";
import { orderEvents, orders } from "./schema.ts";
import { recordWishlistConversions } from "./wishlist.ts";

/**
 * The one way to lock an order for payment work (`SELECT … FOR UPDATE`): ops actions, restocks, the
 * payment hooks, the ledger's writes about an order and refunds all take it first, so every path
 * locks in one order (order row, then charge, then refunds) and none deadlocks. Hold it only for
 * database work: no network call while it is held.
 */
export async function lockOrderForPayment(tx: Db, orderId: number): Promise<Order> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  if (!row) throw new NotFoundError("Order");
  return row;
}

/**
 * pending → paid (idempotent). Already paid, fulfilled or refunded: a no-op that returns the order.
 * Canceled: order.invalid_transition (the payments side records a data-quality problem).
 */
export async function markOrderPaid(
  ctx: ServiceContext,
  input: PaidInput,
  actor: Actor,
): Promise<OrderWithLines> {
  await ctx.db.transaction((tx) => markOrderPaidInTransaction({ ...ctx, db: tx }, input, actor));
  return (await getOrder(ctx, input.orderId))!;
}

type PaidInput = {
  orderId: number;
  at: Date;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
};

/**
 * markOrderPaid for a caller already inside a transaction (`{ ...ctx, db: tx }`) that does not need
 * the order back (a webhook handler): no savepoint and no re-read. It throws before writing anything when the order
 * cannot be paid, so the caller's transaction stays usable.
 */
export async function markOrderPaidInTransaction(
  ctx: OrderTxContext,
  input: PaidInput,
  actor: Actor,
): Promise<void> {
  const tx = ctx.db;
  const order = await lockOrderForPayment(tx, input.orderId);
  if (order.status === "canceled") throw new InvalidTransitionError("canceled", "paid", order.number);
  const extra: Partial<Order> = {};
  if (input.paymentIntentId && !order.stripePaymentIntentId)
    extra.stripePaymentIntentId = input.paymentIntentId;
  if (input.checkoutSessionId && !order.stripeCheckoutSessionId) {
    extra.stripeCheckoutSessionId = input.checkoutSessionId;
  }
  if (order.status === "paid" || order.status === "fulfilled" || order.status === "refunded") {
    await settleLatePaymentReport(ctx, order, input.at, extra);
    return;
  }
  await applyTransition(ctx, order, "paid", actor, { at: input.at, extra });
  await recordWishlistConversions(tx, order, input.at);
}

/**
 * A second report of the same payment (the Checkout Session after the charge, or the other way
 * round) on an order that is already paid: it adds the Stripe ids the first report lacked, and the
 * order counts as paid at the earliest report, so the stored order does not depend on which event
 * Stripe delivered first.
 */
async function settleLatePaymentReport(
  ctx: OrderTxContext,
  order: Order,
  at: Date,
  extra: Partial<Order>,
): Promise<void> {
  const tx = ctx.db;
  const earlier = order.paidAt !== null && at.getTime() < order.paidAt.getTime();
  if (!earlier && Object.keys(extra).length === 0) return;
  // Payment was the order's last change: it stays so, at the earlier time.
  const paidWasLastChange = order.paidAt?.getTime() === order.updatedAt.getTime();
  await tx
    .update(orders)
    .set(earlier ? { ...extra, paidAt: at, ...(paidWasLastChange ? { updatedAt: at } : {}) } : extra)
    .where(eq(orders.id, order.id));
  if (!earlier) return;
  await tx
    .update(orderEvents)
    .set({ at })
    .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.toStatus, "paid")));
  await markDaysDirty(ctx, [at, order.paidAt], { paidOrdersOf: [order.customerId] });
}

/**
 * Record the cumulative succeeded refunds (from the payments ledger). Monotonic: a smaller total is
 * ignored; above the order total is refund.exceeds_total. Reaching the total moves paid|fulfilled →
 * refunded. Idempotent.
 */
export async function applyOrderRefundTotal(
  ctx: ServiceContext,
  input: { orderId: number; amountRefunded: number; at: Date },
  actor: Actor,
): Promise<OrderWithLines> {
  if (!Number.isInteger(input.amountRefunded) || input.amountRefunded < 0) {
    throw new ValidationError(
      "amountRefunded: must be a whole number of minor units, 0 or more",
      "amountRefunded",
    );
  }
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    let order = await lockOrderForPayment(tx, input.orderId);
    if (input.amountRefunded > order.amountTotal) {
      throw new RefundExceedsTotalError(input.amountRefunded, order.amountTotal);
    }
    if (input.amountRefunded > order.amountRefunded) {
      [order] = (await tx
        .update(orders)
        .set({ amountRefunded: input.amountRefunded, updatedAt: input.at })
        .where(eq(orders.id, order.id))
        .returning()) as [Order];
      await markDaysDirty(txCtx, [input.at], { paidOrdersOf: [order.customerId] });
    }
    const full = order.amountRefunded >= order.amountTotal && order.amountTotal > 0;
    if (full && (order.status === "paid" || order.status === "fulfilled")) {
      await applyTransition(txCtx, order, "refunded", actor, { at: input.at, reason: "full refund" });
    }
  });
  return (await getOrder(ctx, input.orderId))!;
}
