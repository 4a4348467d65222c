import { onCharge } from "./charges.ts";
import { onCheckoutCompleted, onPaymentIntentFailed, onPaymentIntentSucceeded } from "./checkout.ts";
import { onCustomer } from "./customers.ts";
import { onCoupon, onDiscount } from "./discounts.ts";
import { onDispute } from "./disputes.ts";
import { onInvoice, onInvoicePayment, thenLinkInvoice } from "./invoices.ts";
import { onRefund } from "./refunds.ts";
import { onSubscription } from "./subscriptions.ts";
import type { EventHandler } from "./types.ts";

/**
 * Event type → handler, one file per event family beside this one. A type not listed here is
 * stored as `ignored`.
 */
export const HANDLERS: Readonly<Record<string, EventHandler>> = {
  // checkout.ts
  "checkout.session.completed": onCheckoutCompleted,
  "payment_intent.succeeded": onPaymentIntentSucceeded,
  "payment_intent.payment_failed": onPaymentIntentFailed,
  // charges.ts
  // (invoices.ts links a charge that arrived after its invoice payment)
  "charge.succeeded": thenLinkInvoice(onCharge),
  "charge.failed": onCharge,
  "charge.refunded": onCharge,
  "charge.updated": thenLinkInvoice(onCharge),
  "charge.captured": thenLinkInvoice(onCharge),
  "charge.expired": onCharge,
  // refunds.ts
  "refund.created": onRefund,
  "refund.updated": onRefund,
  "charge.refund.updated": onRefund,
  // disputes.ts
  "charge.dispute.created": onDispute,
  "charge.dispute.updated": onDispute,
  "charge.dispute.closed": onDispute,
  // customers.ts
  "customer.created": onCustomer,
  "customer.updated": onCustomer,
  // subscriptions.ts
  "customer.subscription.created": onSubscription,
  "customer.subscription.updated": onSubscription,
  "customer.subscription.deleted": onSubscription,
  "customer.subscription.paused": onSubscription,
  "customer.subscription.resumed": onSubscription,
  // invoices.ts
  "invoice.paid": onInvoice,
  "invoice.payment_failed": onInvoice,
  "invoice.payment_succeeded": onInvoice,
  "invoice_payment.paid": onInvoicePayment,
  // discounts.ts
  "customer.discount.created": onDiscount,
  "customer.discount.updated": onDiscount,
  "customer.discount.deleted": onDiscount,
  "coupon.created": onCoupon,
  "coupon.updated": onCoupon,
};

export function handlerFor(type: string): EventHandler | undefined {
  return Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : undefined;
}

export type { EventHandler, HandlerInput } from "./types.ts";
export { eventCreated, fromUnix } from "./types.ts";
