import type { InvoiceRead } from "../../../subscriptions/index.ts";
import { idOf, listData, num, PayloadShapeError, record, requiredText, unix } from "./billing-fields.ts";
import { readDiscountRefs } from "./discount.ts";
import { readInvoicePayment } from "./invoice-payment.ts";

export type { InvoiceRead };

export function readInvoice(raw: unknown): InvoiceRead {
  const invoice = record(raw);
  if (!invoice) throw new PayloadShapeError("invoice is not an object");
  const id = requiredText(invoice, "id", "invoice");
  const parent = record(invoice.parent);
  const subscriptionId =
    idOf(invoice.subscription) ??
    idOf(record(parent?.subscription_details)?.subscription) ??
    idOf(record(invoice.subscription_details)?.subscription);
  const payments = listData(invoice.payments)
    .filter((p) => record(p) !== null)
    .map((p) => readInvoicePayment({ invoice: id, livemode: invoice.livemode, ...record(p) }));
  const paid = payments.find((p) => p.status === "paid") ?? payments[0];
  const created = unix(invoice.created);
  if (created === null) throw new PayloadShapeError(`invoice ${id} has no created`);
  return {
    id,
    subscriptionId,
    stripeCustomerId: idOf(invoice.customer),
    status: requiredText(invoice, "status", `invoice ${id}`),
    currency: requiredText(invoice, "currency", `invoice ${id}`).toLowerCase(),
    amountDue: num(invoice.amount_due) ?? 0,
    amountPaid: num(invoice.amount_paid) ?? 0,
    chargeId: idOf(invoice.charge) ?? paid?.chargeId ?? null,
    paymentIntentId: idOf(invoice.payment_intent) ?? paid?.paymentIntentId ?? null,
    created,
    paidAt: unix(record(invoice.status_transitions)?.paid_at),
    livemode: invoice.livemode === true,
    discounts: readDiscountRefs(invoice).expanded,
    payments,
  };
}
