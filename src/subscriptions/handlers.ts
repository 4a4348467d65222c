import type { EventHandler } from "../payments/handlers/types.ts";
import { eventCreated } from "../payments/handlers/types.ts";
import type { InvoiceObject, SubscriptionObject } from "../payments/stripe/stripe-objects.ts";
import { upsertInvoice } from "./invoices.ts";
import { upsertSubscription } from "./upsert.ts";

/** customer.subscription.created / updated / deleted / paused / resumed: one history row each. */
export const onSubscription: EventHandler = async ({ ctx, tx, event, receivedSeq }) => {
  await upsertSubscription(ctx, tx, event.data.object as SubscriptionObject, {
    eventId: event.id,
    eventCreated: eventCreated(event),
    receivedSeq,
  });
};

/** invoice.paid / invoice.payment_failed (and other invoice.* updates). */
export const onInvoice: EventHandler = async ({ ctx, tx, event }) => {
  const at = eventCreated(event);
  await upsertInvoice(ctx, tx, event.data.object as InvoiceObject, at, at);
};
