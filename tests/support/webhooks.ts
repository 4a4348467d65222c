/** Test helpers for the payments area: sign events like Stripe and deliver them. */
import { eq, sql } from "drizzle-orm";
import { products } from "../../src/catalog/schema.ts";
import type { AppContext } from "../../src/context.ts";
import { customers } from "../../src/customers/schema.ts";
import { queryRows } from "../../src/db/sql.ts";
import { orderLines, orders } from "../../src/orders/schema.ts";
import { type ReceiveResult, receiveWebhook } from "../../src/payments/inbox/receive.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";
import type { StripeEventObject } from "../../src/payments/stripe/stripe-objects.ts";

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

let fixtureSeq = 0;

/**
 * A pending order of `lines` (unit price × quantity) for a fresh customer and products, inserted
 * directly so payments tests do not depend on the checkout flow.
 */
export async function insertPendingOrder(
  ctx: AppContext,
  lines: Array<{ unitPrice: number; quantity: number }>,
  options: { stock?: number; checkoutSessionId?: string; paymentIntentId?: string } = {},
): Promise<{ orderId: number; customerId: number; lineIds: number[]; productIds: number[]; total: number }> {
  fixtureSeq += 1;
  const now = ctx.clock.now();
  const [customer] = await ctx.db
    .insert(customers)
    .values({ email: `payer${fixtureSeq}@example.test`, name: `Payer ${fixtureSeq}`, createdAt: now })
    .returning({ id: customers.id });
  const total = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const [order] = await ctx.db
    .insert(orders)
    .values({
      number: `PT-${fixtureSeq}-${Math.floor(Math.random() * 1e9)}`,
      customerId: customer!.id,
      status: "pending",
      currency: "usd",
      amountSubtotal: total,
      amountTotal: total,
      stripeCheckoutSessionId: options.checkoutSessionId ?? null,
      stripePaymentIntentId: options.paymentIntentId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: orders.id });
  const lineIds: number[] = [];
  const productIds: number[] = [];
  for (const [i, line] of lines.entries()) {
    const [product] = await ctx.db
      .insert(products)
      .values({
        sku: `PAY-${fixtureSeq}-${i}-${Math.floor(Math.random() * 1e9)}`,
        name: `Paid thing ${i}`,
        priceAmount: line.unitPrice,
        currency: "usd",
        stockOnHand: options.stock ?? 10,
      })
      .returning({ id: products.id });
    const [row] = await ctx.db
      .insert(orderLines)
      .values({
        orderId: order!.id,
        productId: product!.id,
        sku: `PAY-${fixtureSeq}-${i}`,
        name: `Paid thing ${i}`,
        quantity: line.quantity,
        unitPriceAmount: line.unitPrice,
        amountTotal: line.unitPrice * line.quantity,
      })
      .returning({ id: orderLines.id });
    lineIds.push(row!.id);
    productIds.push(product!.id);
  }
  return { orderId: order!.id, customerId: customer!.id, lineIds, productIds, total };
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
