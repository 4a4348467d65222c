import { payOrder, resolveOrderId } from "../../orders-port.ts";
import type { CheckoutSessionObject, PaymentIntentObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** A paid checkout session pays its order (found by metadata or by session id). */
export const onCheckoutCompleted: EventHandler = async ({ ctx, tx, event }) => {
  const session = event.data.object as CheckoutSessionObject;
  if (session.mode !== "payment" || session.payment_status !== "paid") return;
  const orderId = await resolveOrderId(tx, {
    metadata: session.metadata,
    checkoutSessionId: session.id,
    paymentIntentId: session.payment_intent,
  });
  if (orderId === null) return;
  await payOrder(ctx, tx, {
    orderId,
    at: eventCreated(event),
    checkoutSessionId: session.id,
    ...(session.payment_intent ? { paymentIntentId: session.payment_intent } : {}),
  });
};

/** A succeeded payment intent pays its order; the money itself is recorded from its charge. */
export const onPaymentIntentSucceeded: EventHandler = async ({ ctx, tx, event }) => {
  const intent = event.data.object as PaymentIntentObject;
  const orderId = await resolveOrderId(tx, { metadata: intent.metadata, paymentIntentId: intent.id });
  if (orderId === null) return;
  await payOrder(ctx, tx, { orderId, at: eventCreated(event), paymentIntentId: intent.id });
};

/** A failed attempt leaves the order pending (the buyer may retry; the TTL job cancels it). */
export const onPaymentIntentFailed: EventHandler = async ({ ctx, event }) => {
  const intent = event.data.object as PaymentIntentObject;
  ctx.logger.debug(
    { paymentIntentId: intent.id, code: intent.last_payment_error?.code ?? null },
    "payment attempt failed",
  );
};
