import type { InvoicePaymentRead } from "../../../subscriptions/index.ts";
import { idOf, num, PayloadShapeError, record, requiredText, unix } from "./billing-fields.ts";

export type { InvoicePaymentRead };

/**
 * Reads an InvoicePayment: the payment sits under `payment` (`type` charge / payment_intent /
 * payment_record); previews carried `charge` and `payment_intent` at the top level, accepted too.
 */
export function readInvoicePayment(raw: unknown): InvoicePaymentRead {
  const p = record(raw);
  if (!p) throw new PayloadShapeError("invoice payment is not an object");
  const id = requiredText(p, "id", "invoice payment");
  const invoiceId = idOf(p.invoice);
  if (invoiceId === null) throw new PayloadShapeError(`invoice payment ${id} has no invoice`);
  const payment = record(p.payment);
  return {
    id,
    invoiceId,
    status: requiredText(p, "status", `invoice payment ${id}`),
    currency: requiredText(p, "currency", `invoice payment ${id}`).toLowerCase(),
    amountPaid: num(p.amount_paid),
    chargeId: idOf(payment?.charge) ?? idOf(p.charge),
    paymentIntentId: idOf(payment?.payment_intent) ?? idOf(p.payment_intent),
    paidAt: unix(record(p.status_transitions)?.paid_at),
    livemode: p.livemode === true,
  };
}
