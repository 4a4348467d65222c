import { markDaysDirty } from "../analytics/dirty.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../payments/ledger/merge.ts";
import type { InvoiceRead } from "../payments/stripe/readers/invoice.ts";
import type { InvoicePaymentRead } from "../payments/stripe/readers/invoice-payment.ts";
import { invoicePayments, invoices } from "./schema.ts";

export type InvoiceRow = typeof invoices.$inferSelect;

const INVOICE_RANK: Record<string, number> = { draft: 0, open: 1, paid: 2, void: 2, uncollectible: 2 };
const invoiceRank = (status: string): number => INVOICE_RANK[status] ?? 1;

export function mergeInvoice(stored: InvoiceRow, incoming: InvoiceRow): InvoiceRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    subscriptionId: stored.subscriptionId ?? incoming.subscriptionId,
    stripeCustomerId: stored.stripeCustomerId ?? incoming.stripeCustomerId,
    status: pickByRank(invoiceRank, stored.status, incoming.status, newer),
    amountDue: newer ? incoming.amountDue : stored.amountDue,
    amountPaid: Math.max(stored.amountPaid, incoming.amountPaid),
    chargeId: stored.chargeId ?? incoming.chargeId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    paidAt: stored.paidAt ?? incoming.paidAt,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records an invoice. The money of a paid invoice is counted once, from its charge
 * (charge.succeeded with `invoice` set); the invoice row is the billing record.
 */
export async function upsertInvoice(
  ctx: AppContext,
  tx: Db,
  invoice: InvoiceRead,
  sourceEventCreated: Date,
  paidAt: Date | null,
): Promise<MergeResult<InvoiceRow>> {
  for (const payment of invoice.payments) await upsertInvoicePayment(tx, payment, sourceEventCreated);
  const row: InvoiceRow = {
    id: invoice.id,
    subscriptionId: invoice.subscriptionId,
    stripeCustomerId: invoice.stripeCustomerId,
    status: invoice.status,
    currency: invoice.currency,
    amountDue: invoice.amountDue,
    amountPaid: invoice.amountPaid,
    chargeId: invoice.chargeId,
    paymentIntentId: invoice.paymentIntentId,
    created: invoice.created,
    // When Stripe says when it was paid, that instant, whichever path (webhook or sync) brought it.
    paidAt: invoice.status === "paid" ? (invoice.paidAt ?? paidAt) : null,
    livemode: invoice.livemode,
    sourceEventCreated,
  };
  const result = await mergeUpsert(tx, invoices, row, mergeInvoice);
  if (result.outcome !== "unchanged") {
    await markDaysDirty(tx, ctx.config.reportingTimezone, [row.created, row.paidAt], ctx.clock.now());
  }
  return result;
}

export type InvoicePaymentRow = typeof invoicePayments.$inferSelect;

const PAYMENT_RANK: Record<string, number> = { open: 0, paid: 1, canceled: 1 };

export function mergeInvoicePayment(
  stored: InvoicePaymentRow,
  incoming: InvoicePaymentRow,
): InvoicePaymentRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    status: pickByRank((s) => PAYMENT_RANK[s] ?? 0, stored.status, incoming.status, newer),
    amountPaid:
      incoming.amountPaid === null
        ? stored.amountPaid
        : Math.max(stored.amountPaid ?? 0, incoming.amountPaid),
    chargeId: stored.chargeId ?? incoming.chargeId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    paidAt: stored.paidAt ?? incoming.paidAt,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records an InvoicePayment (`invoice_payment.paid`, or an invoice's expanded `payments`): the link
 * from an invoice to the payment that paid it. Its own row, so it converges whichever of the
 * invoice and the payment arrives first. The money is counted from the charge, never here.
 */
export async function upsertInvoicePayment(
  tx: Db,
  payment: InvoicePaymentRead,
  sourceEventCreated: Date,
): Promise<MergeResult<InvoicePaymentRow>> {
  return mergeUpsert(tx, invoicePayments, { ...payment, sourceEventCreated }, mergeInvoicePayment);
}
