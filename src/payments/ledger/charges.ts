import { and, eq, isNull, or } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import { type Db, withoutAnswer } from "../../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../../db/merge-upsert.ts";
import { param, statement } from "../../db/prepared.ts";
import { invoicePaymentLink } from "../../subscriptions/index.ts";
import { payOrder, syncOrderRefunds } from "../orders-port.ts";
import { charges, disputes, refunds } from "../schema.ts";
import type { ChargeRead } from "../stripe/readers/charge.ts";
import {
  lockOrderAndChargeRefunds,
  reconcileChargeRefunds,
  refundedCapturedMoney,
} from "./provisional-refunds.ts";
import { upsertRefund } from "./refunds.ts";

export type ChargeRow = typeof charges.$inferSelect;

const chargeRank = (status: string): number => (status === "pending" ? 0 : 1);

function toRow(
  charge: ChargeRead,
  orderId: number | null,
  sourceEventCreated: Date,
  observedAt: Date,
): ChargeRow {
  return {
    id: charge.id,
    amount: charge.amount,
    amountCaptured: charge.amountCaptured,
    captured: charge.captured,
    amountRefunded: charge.amountRefunded,
    amountRefundedAt: charge.amountRefunded > 0 ? observedAt : null,
    currency: charge.currency,
    status: charge.status,
    paid: charge.paid,
    created: charge.created,
    livemode: charge.livemode,
    stripeCustomerId: charge.stripeCustomerId,
    paymentIntentId: charge.paymentIntentId,
    invoiceId: charge.invoiceId,
    orderId,
    fee: charge.fee,
    failureCode: charge.failureCode,
    metadata: charge.metadata,
    sourceEventCreated,
  };
}

/**
 * When the charge first showed its highest `amount_refunded`: a higher figure brings its own time,
 * the same figure keeps the earlier time. A function of the events seen, not of their order.
 */
function firstShowingRefunded(stored: ChargeRow, incoming: ChargeRow): Date | null {
  if (incoming.amountRefunded > stored.amountRefunded) return incoming.amountRefundedAt;
  if (incoming.amountRefunded < stored.amountRefunded) return stored.amountRefundedAt;
  const times = [stored.amountRefundedAt, incoming.amountRefundedAt].filter((d): d is Date => d !== null);
  return times.length === 0 ? null : new Date(Math.min(...times.map((d) => d.getTime())));
}

/**
 * Field by field: status only moves forward, captured and refunded amounts only grow (a capture
 * happens once; Stripe's figures are cumulative), links are kept once known.
 */
export function mergeCharge(stored: ChargeRow, incoming: ChargeRow): ChargeRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    amount: newer ? incoming.amount : stored.amount,
    amountCaptured: Math.max(stored.amountCaptured ?? 0, incoming.amountCaptured ?? 0),
    captured: stored.captured === true || incoming.captured === true,
    amountRefunded: Math.max(stored.amountRefunded, incoming.amountRefunded),
    amountRefundedAt: firstShowingRefunded(stored, incoming),
    status: pickByRank(chargeRank, stored.status, incoming.status, newer),
    paid: stored.paid || incoming.paid,
    stripeCustomerId: stored.stripeCustomerId ?? incoming.stripeCustomerId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    invoiceId: stored.invoiceId ?? incoming.invoiceId,
    orderId: stored.orderId ?? incoming.orderId,
    fee: incoming.fee ?? stored.fee,
    failureCode: newer
      ? (incoming.failureCode ?? stored.failureCode)
      : (stored.failureCode ?? incoming.failureCode),
    metadata: newer ? incoming.metadata : stored.metadata,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records a charge in the ledger (webhook or sync), links it to its order, marks the order paid
 * when it succeeded, attaches refunds and disputes that arrived before it, records the refunds it
 * carries embedded and keeps its provisional refund in line with `amount_refunded`.
 *
 * `observedAt` is when this payload showed the charge: the event's `created` (sync: the run's time).
 */
export async function upsertCharge(
  ctx: AppContext,
  tx: Db,
  charge: ChargeRead,
  sourceEventCreated: Date,
  observedAt: Date = sourceEventCreated,
): Promise<MergeResult<ChargeRow>> {
  // Order row first, then the charge's refunds lock (one statement): the refund path's order too.
  const link = { metadata: charge.metadata, paymentIntentId: charge.paymentIntentId };
  const orderId = await lockOrderAndChargeRefunds(tx, link, charge.id);
  const result = await mergeUpsert(
    tx,
    charges,
    toRow(charge, orderId, sourceEventCreated, observedAt),
    mergeCharge,
  );
  const row = result.row;
  let refundsChanged = false;
  for (const refund of charge.refunds ?? []) {
    const written = await upsertRefund(ctx, tx, refund, sourceEventCreated, charge.livemode);
    if (written.outcome !== "unchanged") refundsChanged = true;
  }
  if (result.outcome === "unchanged" && !refundsChanged) return result;
  if (result.outcome !== "unchanged") {
    // A charge stored just now arrives in the amount counts; a changed one has them recounted.
    const change =
      result.outcome === "created"
        ? { paidOrdersOf: [], arrived: { charges: [{ id: row.id, created: row.created }] } }
        : NO_PAID_ORDERS;
    await markDaysDirty({ ...ctx, db: tx }, [row.created], change);
  }
  // A charge stored just now has no provisional refund (only reconcileChargeRefunds writes one, for a
  // stored charge, and charges are never deleted): showing no refunded captured money and carrying no
  // refunds, it has nothing to reconcile, and the three statements of the check are saved.
  const nothingToReconcile =
    result.outcome === "created" && !refundsChanged && refundedCapturedMoney(row) === 0;
  if (!nothingToReconcile) await reconcileChargeRefunds(ctx, tx, row.id, observedAt);
  if (result.outcome === "unchanged" || row.orderId === null) return result;
  if (row.status === "succeeded") {
    await payOrder(
      { ...ctx, db: tx },
      {
        orderId: row.orderId,
        at: row.created,
        ...(row.paymentIntentId ? { paymentIntentId: row.paymentIntentId } : {}),
      },
    );
  }
  if (result.previous?.orderId == null) {
    // Refunds or disputes that arrived before their charge get its order now.
    await tx
      .update(refunds)
      .set({ orderId: row.orderId })
      .where(and(eq(refunds.chargeId, row.id), isNull(refunds.orderId)));
    await tx
      .update(disputes)
      .set({ orderId: row.orderId })
      .where(and(eq(disputes.chargeId, row.id), isNull(disputes.orderId)));
    await syncOrderRefunds(ctx, tx, row.orderId);
  }
  return result;
}

/**
 * The charge side of an invoice's payment (subscriptions finds which payment paid it): sets
 * `charges.invoice_id` where still empty, on the charge named or the one of the payment intent.
 * Called after every change to an invoice or its InvoicePayment, and after a charge is stored.
 */
export async function linkChargesToInvoice(tx: Db, invoiceId: string): Promise<void> {
  const link = await invoicePaymentLink(tx, invoiceId);
  if (!link) return;
  await withoutAnswer(() => linkToInvoice.run(tx, { invoiceId, ch: link.ch, pi: link.pi }));
}

// `= NULL` is never true: a link without a charge (or payment intent) matches by the other alone.
const linkToInvoice = statement<{ invoiceId: string; ch: string | null; pi: string | null }>()((db) =>
  db
    .update(charges)
    .set({ invoiceId: param("invoiceId") })
    .where(
      and(
        isNull(charges.invoiceId),
        or(eq(charges.id, param("ch")), eq(charges.paymentIntentId, param("pi"))),
      ),
    ),
);
