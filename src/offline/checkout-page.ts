import { eq } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { orders } from "../orders/schema.ts";
import { NotFoundError } from "../shared/errors.ts";
import { emit, simulatedFee, simulatorFactory } from "./emit.ts";

export interface OfflineSession {
  sessionId: string;
  orderId: number;
  orderNumber: string;
  customerId: number;
  status: string;
  amount: number;
  currency: string;
}

/** The order behind an offline checkout session (the pay page reads it). */
export async function getOfflineSession(ctx: AppContext, sessionId: string): Promise<OfflineSession> {
  // The order row only (no lines): the pay page and the simulator need its status and amount.
  const [order] = await ctx.db
    .select({
      id: orders.id,
      number: orders.number,
      customerId: orders.customerId,
      status: orders.status,
      amountTotal: orders.amountTotal,
      currency: orders.currency,
    })
    .from(orders)
    .where(eq(orders.stripeCheckoutSessionId, sessionId));
  if (!order) throw new NotFoundError("Checkout session");
  return {
    sessionId,
    orderId: order.id,
    orderNumber: order.number,
    customerId: order.customerId,
    status: order.status,
    amount: order.amountTotal,
    currency: order.currency,
  };
}

/**
 * Plays Stripe Checkout: paying emits checkout.session.completed, payment_intent.succeeded and
 * charge.succeeded (with an expanded balance transaction carrying the fee); declining emits
 * charge.failed and payment_intent.payment_failed (the order stays pending). Signed and delivered
 * through the webhook path.
 */
export async function completeOfflineCheckout(
  ctx: AppContext,
  sessionId: string,
  outcome: "pay" | "decline",
): Promise<OfflineSession> {
  const session = await getOfflineSession(ctx, sessionId);
  if (session.status !== "pending") return session;
  const f = simulatorFactory(ctx);
  const metadata = { order_id: String(session.orderId), order_number: session.orderNumber };
  const { amount, currency } = session;
  if (outcome === "decline") {
    const { charge, paymentIntent } = f.makePayment({ amount, currency, metadata, status: "failed" });
    await emit(ctx, f.makeEvent("charge.failed", charge));
    await emit(ctx, f.makeEvent("payment_intent.payment_failed", paymentIntent));
    return getOfflineSession(ctx, sessionId);
  }
  const { charge, paymentIntent } = f.makePayment({ amount, currency, metadata });
  const balanceTransaction = f.makeBalanceTransaction({
    amount,
    currency,
    fee: simulatedFee(amount),
    source: charge.id,
  });
  const completed = f.makeCheckoutSession({
    id: sessionId,
    status: "complete",
    amountTotal: amount,
    currency,
    paymentIntent: paymentIntent.id,
    clientReferenceId: String(session.orderId),
    metadata,
  });
  await emit(ctx, f.makeEvent("checkout.session.completed", completed));
  await emit(ctx, f.makeEvent("payment_intent.succeeded", paymentIntent));
  await emit(
    ctx,
    f.makeEvent("charge.succeeded", { ...charge, balance_transaction: balanceTransaction } as never),
  );
  return getOfflineSession(ctx, sessionId);
}
