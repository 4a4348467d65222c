import { upsertInvoice } from "../../../subscriptions/invoices.ts";
import type { InvoiceObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** invoice.paid / invoice.payment_failed (and other invoice.* updates). */
export const onInvoice: EventHandler = async ({ ctx, tx, event }) => {
  const at = eventCreated(event);
  await upsertInvoice(ctx, tx, event.data.object as InvoiceObject, at, at);
};
