import Stripe from "stripe";
import type { AppContext } from "../context.ts";
import { SHIPPING_COUNTRY_CODES } from "../orders/index.ts";
import type { PaymentProvider } from "./provider.ts";
import { IdempotencyKeyReusedError } from "./refunds/idempotency.ts";
import { createStripeClient } from "./stripe-client.ts";

/** Stripe mode: hosted Checkout and the refunds API; outcomes come back as webhooks. */
export const stripeProvider: PaymentProvider = {
  mode: "stripe",

  async startCheckout(ctx, request) {
    const stripe = createStripeClient(ctx.config);
    const metadata = { order_id: String(request.orderId), order_number: request.orderNumber };
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        client_reference_id: String(request.orderId),
        ...(request.customer.stripeCustomerId
          ? { customer: request.customer.stripeCustomerId }
          : { customer_email: request.customer.email }),
        line_items: request.lines.map((line) => ({
          quantity: line.quantity,
          price_data: {
            currency: request.currency,
            unit_amount: line.unitAmount,
            product_data: { name: line.name },
          },
        })),
        metadata,
        // Stripe Checkout asks for the address; the completed session's webhook brings it back.
        shipping_address_collection: { allowed_countries: [...SHIPPING_COUNTRY_CODES] },
        payment_intent_data: { metadata },
        expires_at: checkoutExpiry(ctx),
      },
      { idempotencyKey: `checkout-order-${request.orderId}` },
    );
    if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
    const pi = typeof session.payment_intent === "string" ? session.payment_intent : undefined;
    return { redirectUrl: session.url, checkoutSessionId: session.id, paymentIntentId: pi };
  },

  async createRefund(ctx: AppContext, request) {
    const stripe = createStripeClient(ctx.config);
    const refund = await stripe.refunds
      .create(
        {
          charge: request.chargeId,
          amount: request.amount,
          ...(request.reason ? { reason: request.reason } : {}),
          metadata: request.metadata,
        },
        request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : undefined,
      )
      .catch((err: unknown) => {
        // Stripe still holds the key with other parameters (e.g. our transaction did not commit
        // after its first use): the caller's mistake, answered as in offline mode, not a 500.
        if (err instanceof Stripe.errors.StripeIdempotencyError) throw new IdempotencyKeyReusedError();
        throw err;
      });
    return { refundId: refund.id, status: refund.status ?? "pending" };
  },

  async closeCheckout(ctx, checkoutSessionId) {
    try {
      await createStripeClient(ctx.config).checkout.sessions.expire(checkoutSessionId);
      return true;
    } catch (err) {
      // Already completed or expired, or Stripe unreachable: a late payment then shows up in the
      // payment-reconciliation check ("paid after it was canceled").
      ctx.logger.warn(
        { checkoutSessionId, err: (err as Error).message },
        "could not expire the Checkout Session",
      );
      return false;
    }
  },
};

/**
 * Stripe's Checkout page closes when our pending order expires (`PENDING_ORDER_TTL_MINUTES`), so a
 * customer cannot pay for an order whose stock we have already released. Stripe accepts 30 minutes
 * to 24 hours; the configuration refuses a shorter TTL in Stripe mode.
 */
export function checkoutExpiry(ctx: AppContext): number {
  const minutes = Math.min(Math.max(ctx.config.pendingOrderTtlMinutes, 30), 24 * 60);
  return Math.floor(ctx.clock.now().getTime() / 1000) + minutes * 60;
}
