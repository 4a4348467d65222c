import { and, asc, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import type { Order, OrderWithLines } from "./model.ts";
import { type OrderStatus, orderEvents, orderLines, orders } from "./schema.ts";

async function withLines(db: Db, order: Order | undefined): Promise<OrderWithLines | undefined> {
  if (!order) return undefined;
  const lines = await db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.id));
  return { ...order, lines };
}

async function findOne(db: Db, where: SQL): Promise<OrderWithLines | undefined> {
  const [row] = await db.select().from(orders).where(where);
  return withLines(db, row);
}

export function getOrder(ctx: Pick<ServiceContext, "db">, id: number): Promise<OrderWithLines | undefined> {
  return findOne(ctx.db, eq(orders.id, id));
}

export function getOrderByNumber(
  ctx: Pick<ServiceContext, "db">,
  number: string,
): Promise<OrderWithLines | undefined> {
  return findOne(ctx.db, eq(orders.number, number));
}

export function findOrderByPaymentIntent(
  ctx: Pick<ServiceContext, "db">,
  paymentIntentId: string,
): Promise<OrderWithLines | undefined> {
  return findOne(ctx.db, eq(orders.stripePaymentIntentId, paymentIntentId));
}

export function findOrderByCheckoutSession(
  ctx: Pick<ServiceContext, "db">,
  checkoutSessionId: string,
): Promise<OrderWithLines | undefined> {
  return findOne(ctx.db, eq(orders.stripeCheckoutSessionId, checkoutSessionId));
}

export interface OrderFilter {
  customerId?: number;
  status?: OrderStatus;
  limit?: number;
  offset?: number;
}

/** Newest first; `total` counts every match for pagination. */
export async function listOrders(
  ctx: Pick<ServiceContext, "db">,
  filter: OrderFilter = {},
): Promise<{ orders: Order[]; total: number }> {
  const where: SQL[] = [];
  if (filter.customerId !== undefined) where.push(eq(orders.customerId, filter.customerId));
  if (filter.status) where.push(eq(orders.status, filter.status));
  const cond = where.length ? and(...where) : undefined;
  const rows = await ctx.db
    .select()
    .from(orders)
    .where(cond)
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(Math.min(filter.limit ?? 50, 500))
    .offset(filter.offset ?? 0);
  const [total] = await ctx.db.select({ n: count() }).from(orders).where(cond);
  return { orders: rows, total: total?.n ?? 0 };
}

/** Line counts per order, for list pages. */
export async function lineCounts(
  ctx: Pick<ServiceContext, "db">,
  orderIds: number[],
): Promise<Map<number, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ orderId: orderLines.orderId, n: count() })
    .from(orderLines)
    .where(inArray(orderLines.orderId, orderIds))
    .groupBy(orderLines.orderId);
  return new Map(rows.map((r) => [r.orderId, r.n]));
}

export function listOrderEvents(ctx: Pick<ServiceContext, "db">, orderId: number) {
  return ctx.db
    .select()
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.id));
}

/** Store the ids the payment provider returned when checkout started (only the ones it returned). */
export async function setOrderPaymentRefs(
  ctx: Pick<ServiceContext, "db" | "clock">,
  orderId: number,
  refs: { checkoutSessionId?: string | null; paymentIntentId?: string | null },
): Promise<void> {
  const set: Partial<Order> = {};
  if (refs.checkoutSessionId) set.stripeCheckoutSessionId = refs.checkoutSessionId;
  if (refs.paymentIntentId) set.stripePaymentIntentId = refs.paymentIntentId;
  if (Object.keys(set).length === 0) return;
  await ctx.db
    .update(orders)
    .set({ ...set, updatedAt: ctx.clock.now() })
    .where(eq(orders.id, orderId));
}
