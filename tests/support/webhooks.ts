/** Test helpers for the payments area: sign events like Stripe and deliver them. */
import { and, eq, sql } from "drizzle-orm";
import { products } from "../../src/catalog/schema.ts";
import type { AppContext } from "../../src/context.ts";
import { queryRows } from "../../src/db/sql.ts";
import { dataQualityIssues } from "../../src/monitoring/schema.ts";
import type { StripeFactory } from "../../src/offline/objects/event-factory.ts";
import { orders } from "../../src/orders/schema.ts";
import { type ReceiveResult, receiveWebhook } from "../../src/payments/inbox/receive.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";
import type { StripeEventObject } from "../../src/payments/stripe/stripe-objects.ts";
import { makeProduct } from "./builders/catalog.ts";
import { makeCustomer } from "./builders/customers.ts";
import { makeOrder, makeOrderLine } from "./builders/orders.ts";

export function signedNow(ctx: AppContext, event: object, secret = ctx.config.stripeWebhookSecrets[0]!) {
  return signEvent(event, secret, Math.floor(ctx.clock.now().getTime() / 1000));
}

/** Delivers an event through the real path (verify → inbox → handler), as the route does. */
export function deliver(ctx: AppContext, event: StripeEventObject): Promise<ReceiveResult> {
  const { payload, header } = signedNow(ctx, event);
  return receiveWebhook(ctx, payload, header);
}

export async function countRows(ctx: AppContext, table: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(ctx.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number(rows[0]?.n ?? 0);
}

export async function eventRow(ctx: AppContext, id: string) {
  const rows = await queryRows<{ status: string; attempts: number; last_error: string | null }>(
    ctx.db,
    sql`SELECT status, attempts, last_error, next_attempt_at FROM stripe_events WHERE id = ${id}`,
  );
  return rows[0];
}

/**
 * A pending order of `lines` (unit price × quantity) for a fresh customer and products, made with
 * the row builders so payments tests do not depend on the checkout flow.
 */
export async function insertPendingOrder(
  ctx: AppContext,
  lines: Array<{ unitPrice: number; quantity: number }>,
  options: { stock?: number; checkoutSessionId?: string; paymentIntentId?: string } = {},
): Promise<{ orderId: number; customerId: number; lineIds: number[]; productIds: number[]; total: number }> {
  const now = ctx.clock.now();
  const customer = await makeCustomer(ctx.db, { createdAt: now, country: null, stripeCustomerId: null });
  const total = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const order = await makeOrder(ctx.db, {
    customerId: customer.id,
    paidAt: null,
    amountTotal: total,
    stripeCheckoutSessionId: options.checkoutSessionId ?? null,
    stripePaymentIntentId: options.paymentIntentId ?? null,
    createdAt: now,
  });
  const lineIds: number[] = [];
  const productIds: number[] = [];
  for (const [i, line] of lines.entries()) {
    const product = await makeProduct(ctx.db, {
      name: `Paid thing ${i}`,
      priceAmount: line.unitPrice,
      stockOnHand: options.stock ?? 10,
    });
    const row = await makeOrderLine(ctx.db, {
      orderId: order.id,
      productId: product.id,
      sku: product.sku,
      name: product.name,
      quantity: line.quantity,
      unitPriceAmount: line.unitPrice,
    });
    lineIds.push(row.id);
    productIds.push(product.id);
  }
  return { orderId: order.id, customerId: customer.id, lineIds, productIds, total };
}

/**
 * A pending order (as `insertPendingOrder`) paid by a delivered `charge.succeeded` for its total,
 * the charge made by `f`: the order and the charge's id.
 */
export async function insertPaidOrder(
  ctx: AppContext,
  f: StripeFactory,
  lines: Array<{ unitPrice: number; quantity: number }>,
  options: { stock?: number } = {},
) {
  const order = await insertPendingOrder(ctx, lines, options);
  const { charge } = f.makePayment({ amount: order.total, metadata: { order_id: String(order.orderId) } });
  await deliver(ctx, f.makeEvent("charge.succeeded", charge));
  return { ...order, chargeId: charge.id };
}

/** The webhook-health issues raised about one stored event, oldest first. */
export function webhookIssuesOf(ctx: AppContext, eventId: string) {
  return ctx.db
    .select()
    .from(dataQualityIssues)
    .where(
      and(
        eq(dataQualityIssues.check, "webhook-health"),
        eq(dataQualityIssues.fingerprint, `event:${eventId}`),
      ),
    )
    .orderBy(dataQualityIssues.id);
}

export async function orderState(ctx: AppContext, orderId: number) {
  const [row] = await ctx.db
    .select({ status: orders.status, amountRefunded: orders.amountRefunded })
    .from(orders)
    .where(eq(orders.id, orderId));
  return row;
}

export async function stockOf(ctx: AppContext, productId: number): Promise<number> {
  const [row] = await ctx.db
    .select({ stock: products.stockOnHand })
    .from(products)
    .where(eq(products.id, productId));
  return row?.stock ?? -1;
}
