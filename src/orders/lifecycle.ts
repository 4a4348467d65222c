/**
 * The order state machine (ARCHITECTURE §7). `applyTransition` is the only code that writes
 * `orders.status`; everything else (checkout, payments, ops actions, the TTL job) goes through it.
 */
import { and, eq } from "drizzle-orm";
import { markDaysDirty } from "../analytics/dirty.ts";
import { type Actor, audit } from "../audit/index.ts";
import { InvalidTransitionError } from "./errors.ts";
import { eventActor, isOperator, type Order, type OrderTxContext } from "./model.ts";
import { ORDER_STATUSES, type OrderStatus, orderEvents, orders } from "./schema.ts";

export const ALLOWED_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "canceled"],
  paid: ["fulfilled", "refunded"],
  fulfilled: ["refunded"],
  canceled: [],
  refunded: [],
};

/** The timestamp column each target status stamps. */
const STAMP = {
  paid: "paidAt",
  fulfilled: "fulfilledAt",
  canceled: "canceledAt",
  refunded: "refundedAt",
} as const satisfies Partial<Record<OrderStatus, keyof Order>>;

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export type TransitionPatch = { status: OrderStatus } & Partial<
  Pick<Order, (typeof STAMP)[keyof typeof STAMP]>
>;

/** Pure: the column changes for `order` → `to` at `at`, or InvalidTransitionError. */
export function transition(
  order: Pick<Order, "status"> & { number?: string },
  to: OrderStatus,
  at: Date = new Date(),
): TransitionPatch {
  if (!ORDER_STATUSES.includes(to) || !canTransition(order.status, to)) {
    throw new InvalidTransitionError(order.status, to, order.number);
  }
  if (to === "pending") return { status: to };
  return { status: to, [STAMP[to]]: at };
}

export interface TransitionOptions {
  at: Date;
  reason?: string | null;
  /** Other columns written with the status (e.g. cancel_reason, payment ids). */
  extra?: Partial<Order>;
}

/**
 * Move `order` to `to` inside the caller's transaction (`ctx.db`): a guarded UPDATE (WHERE status = the status we read, so a racing
 * change makes it fail instead of overwrite), an order_events row, an audit event when an operator
 * made it, and the day marked dirty for the snapshots.
 */
export async function applyTransition(
  ctx: OrderTxContext,
  order: Order,
  to: OrderStatus,
  actor: Actor,
  options: TransitionOptions,
): Promise<Order> {
  const tx = ctx.db;
  const patch = transition(order, to, options.at);
  const [updated] = await tx
    .update(orders)
    .set({ ...options.extra, ...patch, updatedAt: options.at })
    .where(and(eq(orders.id, order.id), eq(orders.status, order.status)))
    .returning();
  if (!updated) throw new InvalidTransitionError(order.status, to, order.number);
  await tx.insert(orderEvents).values({
    orderId: order.id,
    fromStatus: order.status,
    toStatus: to,
    at: options.at,
    reason: options.reason ?? null,
    ...eventActor(actor),
  });
  if (isOperator(actor)) {
    await audit(
      tx,
      actor,
      `order.${to === "canceled" ? "cancel" : to === "fulfilled" ? "fulfill" : to}`,
      { type: "order", id: order.id },
      { status: to, number: order.number, reason: options.reason ?? null },
      { status: order.status },
      options.at,
    );
  }
  // The product and amount counts read an order's paid time, lines and total, never its status:
  // payment is the order's arrival in them (it had no paid time), and any other transition changes
  // none of them, so a day's counts take in the paid order alone.
  const arrived =
    order.paidAt === null && updated.paidAt !== null
      ? { orders: [{ id: updated.id, paidAt: updated.paidAt }] }
      : {};
  await markDaysDirty(ctx, [options.at, order.paidAt], { paidOrdersOf: [order.customerId], arrived });
  return updated;
}
