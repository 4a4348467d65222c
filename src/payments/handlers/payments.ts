import { upsertCharge } from "../ledger/charges.ts";
import { upsertDispute } from "../ledger/disputes.ts";
import { upsertRefund } from "../ledger/refunds.ts";
import { payOrder, resolveOrderId } from "../orders-port.ts";
import type {
  ChargeObject,
  CheckoutSessionObject,
  DisputeObject,
  PaymentIntentObject,
  RefundObject,
} from "../stripe/stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** charge.succeeded / failed / refunded / updated: the charge as Stripe now sees it. */
export const onCharge: EventHandler = async ({ ctx, tx, event }) => {
  await upsertCharge(ctx, tx, event.data.object as ChargeObject, eventCreated(event));
};

/** refund.created / refund.updated / charge.refund.updated: one ledger row per refund id. */
export const onRefund: EventHandler = async ({ ctx, tx, event }) => {
  await upsertRefund(ctx, tx, event.data.object as RefundObject, eventCreated(event), event.livemode);
};

export const onDispute: EventHandler = async ({ ctx, tx, event }) => {
  await upsertDispute(ctx, tx, event.data.object as DisputeObject, eventCreated(event));
};

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
