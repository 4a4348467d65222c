import { markDaysDirty } from "../analytics/dirty.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../payments/ledger/merge.ts";
import type { InvoiceObject } from "../payments/stripe/stripe-objects.ts";
import { invoices } from "./schema.ts";

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
  invoice: InvoiceObject,
  sourceEventCreated: Date,
  paidAt: Date | null,
): Promise<MergeResult<InvoiceRow>> {
  const row: InvoiceRow = {
    id: invoice.id,
    subscriptionId: invoice.subscription ?? null,
    stripeCustomerId: invoice.customer ?? null,
    status: invoice.status,
    currency: invoice.currency,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    chargeId: invoice.charge ?? null,
    created: new Date(invoice.created * 1000),
    paidAt: invoice.status === "paid" ? paidAt : null,
    livemode: invoice.livemode,
    sourceEventCreated,
  };
  const result = await mergeUpsert(tx, invoices, row, mergeInvoice);
  if (result.outcome !== "unchanged") {
    await markDaysDirty(tx, ctx.config.reportingTimezone, [row.created, row.paidAt], ctx.clock.now());
  }
  return result;
}
