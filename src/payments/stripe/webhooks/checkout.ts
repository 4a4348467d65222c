import type { AppContext } from "../../../context.ts";
import type { Db } from "../../../db/client.ts";
import { saveShippingAddress } from "../../../orders/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { payOrder, resolveOrderId } from "../../orders-port.ts";
import { readCheckoutSession, type ShippingDetailsRead } from "../readers/checkout-session.ts";
import { readPaymentIntent } from "../readers/payment-intent.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** A paid checkout session pays its order (found by metadata or by session id). */
export const onCheckoutCompleted: EventHandler = async ({ ctx, tx, event }) => {
  const session = readCheckoutSession(event.data.object);
  if (session.mode !== "payment" || session.paymentStatus !== "paid") return;
  const orderId = await resolveOrderId(tx, {
    metadata: session.metadata,
    checkoutSessionId: session.id,
    paymentIntentId: session.paymentIntentId,
  });
  if (orderId === null) return;
  await payOrder(
    { ...ctx, db: tx },
    {
      orderId,
      at: eventCreated(event),
      checkoutSessionId: session.id,
      ...(session.paymentIntentId ? { paymentIntentId: session.paymentIntentId } : {}),
    },
  );
  if (session.shipping) await keepShippingAddress(ctx, tx, orderId, session.shipping);
};

/**
 * The address Checkout collected goes on the order (once; a replay keeps the first). An address our
 * rules refuse (e.g. a country added in the Dashboard but not here) is logged, never a failed
 * event: the payment is real either way, and ops see "no address" on the order.
 */
async function keepShippingAddress(
  ctx: AppContext,
  tx: Db,
  orderId: number,
  shipping: ShippingDetailsRead,
): Promise<void> {
  try {
    await saveShippingAddress({ ...ctx, db: tx }, orderId, shipping, "stripe_checkout");
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    ctx.logger.warn({ orderId, field: err.field }, "shipping address from Checkout not kept");
  }
}

/** A succeeded payment intent pays its order; the money itself is recorded from its charge. */
export const onPaymentIntentSucceeded: EventHandler = async ({ ctx, tx, event }) => {
  const intent = readPaymentIntent(event.data.object);
  const orderId = await resolveOrderId(tx, { metadata: intent.metadata, paymentIntentId: intent.id });
  if (orderId === null) return;
  await payOrder({ ...ctx, db: tx }, { orderId, at: eventCreated(event), paymentIntentId: intent.id });
};

/** A failed attempt leaves the order pending (the buyer may retry; the TTL job cancels it). */
export const onPaymentIntentFailed: EventHandler = async ({ ctx, event }) => {
  const intent = readPaymentIntent(event.data.object);
  ctx.logger.debug(
    { paymentIntentId: intent.id, code: intent.lastPaymentErrorCode },
    "payment attempt failed",
  );
};
