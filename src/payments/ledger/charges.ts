import { and, eq, isNull } from "drizzle-orm";
import { markDaysDirty } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { payOrder, resolveOrderId, syncOrderRefunds } from "../orders-port.ts";
import { charges, disputes, refunds } from "../schema.ts";
import type { BalanceTransactionObject, ChargeObject } from "../stripe/stripe-objects.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "./merge.ts";
import { raiseChargeRefunded } from "./refunds.ts";

export type ChargeRow = typeof charges.$inferSelect;

const chargeRank = (status: string): number => (status === "pending" ? 0 : 1);

/** The fee when the balance transaction came expanded (an object), else unknown. */
export function feeOf(balanceTransaction: unknown): number | null {
  if (balanceTransaction && typeof balanceTransaction === "object") {
    const fee = (balanceTransaction as BalanceTransactionObject).fee;
    return typeof fee === "number" ? fee : null;
  }
  return null;
}

function toRow(charge: ChargeObject, orderId: number | null, sourceEventCreated: Date): ChargeRow {
  return {
    id: charge.id,
    amount: charge.amount,
    amountRefunded: charge.amount_refunded ?? 0,
    currency: charge.currency,
    status: charge.status,
    paid: charge.paid === true,
    created: new Date(charge.created * 1000),
    livemode: charge.livemode,
    stripeCustomerId: charge.customer ?? null,
    paymentIntentId: charge.payment_intent ?? null,
    invoiceId: charge.invoice ?? null,
    orderId,
    fee: feeOf(charge.balance_transaction),
    failureCode: charge.failure_code ?? null,
    metadata: charge.metadata ?? {},
    sourceEventCreated,
  };
}

/** Field by field: status only moves forward, refunded amount only grows, links are kept once known. */
export function mergeCharge(stored: ChargeRow, incoming: ChargeRow): ChargeRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    amount: newer ? incoming.amount : stored.amount,
    amountRefunded: Math.max(stored.amountRefunded, incoming.amountRefunded),
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
 * when it succeeded and attaches refunds and disputes that arrived before it.
 */
export async function upsertCharge(
  ctx: AppContext,
  tx: Db,
  charge: ChargeObject,
  sourceEventCreated: Date,
): Promise<MergeResult<ChargeRow>> {
  const orderId = await resolveOrderId(
    tx,
    { metadata: charge.metadata, paymentIntentId: charge.payment_intent },
    { lock: true },
  );
  const result = await mergeUpsert(tx, charges, toRow(charge, orderId, sourceEventCreated), mergeCharge);
  if (result.outcome === "unchanged") return result;
  const row = result.row;
  await markDaysDirty(tx, ctx.config.reportingTimezone, [row.created], ctx.clock.now());
  if (row.orderId === null) return result;
  if (row.status === "succeeded") {
    await payOrder(ctx, tx, {
      orderId: row.orderId,
      at: row.created,
      ...(row.paymentIntentId ? { paymentIntentId: row.paymentIntentId } : {}),
    });
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
    await raiseChargeRefunded(tx, row.id);
    await syncOrderRefunds(ctx, tx, row.orderId);
  }
  return result;
}
