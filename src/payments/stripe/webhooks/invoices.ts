import {
  linkChargeToInvoice,
  upsertDiscount,
  upsertInvoice,
  upsertInvoicePayment,
} from "../../../subscriptions/index.ts";
import { linkChargesToInvoice } from "../../ledger/charges.ts";
import { readCharge } from "../readers/charge.ts";
import { readInvoice } from "../readers/invoice.ts";
import { readInvoicePayment } from "../readers/invoice-payment.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** invoice.paid / invoice.payment_failed (and other invoice.* updates). */
export const onInvoice: EventHandler = async ({ ctx, tx, event }) => {
  const at = eventCreated(event);
  const invoice = readInvoice(event.data.object);
  for (const d of invoice.discounts)
    await upsertDiscount({ ...ctx, db: tx }, d, { livemode: invoice.livemode, at });
  await upsertInvoice(ctx, tx, invoice, at, at);
  await linkChargesToInvoice(tx, invoice.id);
};

/** invoice_payment.paid (API 2025-03-31 on): which payment paid which invoice. */
export const onInvoicePayment: EventHandler = async ({ tx, event }) => {
  const payment = readInvoicePayment(event.data.object);
  await upsertInvoicePayment(tx, payment, eventCreated(event));
  await linkChargesToInvoice(tx, payment.invoiceId);
};

/**
 * Wraps a charge handler: after the charge is stored, a charge that arrived after its invoice's
 * InvoicePayment (API 2025-03-31 on, where neither names the other) is linked to that invoice.
 */
export function thenLinkInvoice(onCharge: EventHandler): EventHandler {
  return async (input) => {
    await onCharge(input);
    const charge = readCharge(input.event.data.object);
    const invoiceIds = await linkChargeToInvoice(input.tx, {
      id: charge.id,
      paymentIntentId: charge.paymentIntentId,
    });
    for (const invoiceId of invoiceIds) await linkChargesToInvoice(input.tx, invoiceId);
  };
}
