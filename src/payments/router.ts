import { onInvoice, onSubscription } from "../subscriptions/handlers.ts";
import { onCustomer } from "./handlers/customers.ts";
import {
  onCharge,
  onCheckoutCompleted,
  onDispute,
  onPaymentIntentFailed,
  onPaymentIntentSucceeded,
  onRefund,
} from "./handlers/payments.ts";
import type { EventHandler } from "./handlers/types.ts";

/** Event type → handler. A type not listed here is stored as `ignored`. */
export const HANDLERS: Readonly<Record<string, EventHandler>> = {
  "checkout.session.completed": onCheckoutCompleted,
  "payment_intent.succeeded": onPaymentIntentSucceeded,
  "payment_intent.payment_failed": onPaymentIntentFailed,
  "charge.succeeded": onCharge,
  "charge.failed": onCharge,
  "charge.refunded": onCharge,
  "charge.updated": onCharge,
  "charge.captured": onCharge,
  "refund.created": onRefund,
  "refund.updated": onRefund,
  "charge.refund.updated": onRefund,
  "charge.dispute.created": onDispute,
  "charge.dispute.updated": onDispute,
  "charge.dispute.closed": onDispute,
  "customer.created": onCustomer,
  "customer.updated": onCustomer,
  "customer.subscription.created": onSubscription,
  "customer.subscription.updated": onSubscription,
  "customer.subscription.deleted": onSubscription,
  "customer.subscription.paused": onSubscription,
  "customer.subscription.resumed": onSubscription,
  "invoice.paid": onInvoice,
  "invoice.payment_failed": onInvoice,
  "invoice.payment_succeeded": onInvoice,
};

export function handlerFor(type: string): EventHandler | undefined {
  return Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : undefined;
}
