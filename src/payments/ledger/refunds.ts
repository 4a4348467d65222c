import { eq, sql } from "drizzle-orm";
import { markDaysDirty } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { lockOrderRow, resolveOrderId, syncOrderRefunds } from "../orders-port.ts";
import { charges, refunds } from "../schema.ts";
import type { RefundObject } from "../stripe/stripe-objects.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "./merge.ts";

export type RefundRow = typeof refunds.$inferSelect;

/** pending / requires_action, then a final status; a final status may still change (succeeded → failed). */
const refundRank = (status: string): number => (status === "pending" || status === "requires_action" ? 0 : 1);

function toRow(refund: RefundObject, orderId: number | null, sourceEventCreated: Date): RefundRow {
  const metadata = refund.metadata ?? {};
  return {
    id: refund.id,
    chargeId: refund.charge ?? null,
    paymentIntentId: refund.payment_intent ?? null,
    orderId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason ?? null,
    created: new Date(refund.created * 1000),
    livemode: (refund as { livemode?: boolean }).livemode ?? false,
    note: metadata.note ?? null,
    restock: metadata.restock === "all" || metadata.restock === "lines",
    requestedBy: metadata.requested_by ?? null,
    metadata,
    sourceEventCreated,
  };
}

export function mergeRefund(stored: RefundRow, incoming: RefundRow): RefundRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    chargeId: stored.chargeId ?? incoming.chargeId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    orderId: stored.orderId ?? incoming.orderId,
    amount: newer ? incoming.amount : stored.amount,
    created: newer ? incoming.created : stored.created,
    status: pickByRank(refundRank, stored.status, incoming.status, newer),
    reason: newer ? (incoming.reason ?? stored.reason) : (stored.reason ?? incoming.reason),
    note: stored.note ?? incoming.note,
    restock: stored.restock || incoming.restock,
    requestedBy: stored.requestedBy ?? incoming.requestedBy,
    metadata: newer ? { ...(stored.metadata as object), ...(incoming.metadata as object) } : stored.metadata,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records a refund (started in the app or in Stripe's dashboard: the same path), links it to its
 * order through metadata, its charge or its payment intent, and brings the order's refund total and
 * restock in line once it succeeded.
 */
export async function upsertRefund(
  ctx: AppContext,
  tx: Db,
  refund: RefundObject,
  sourceEventCreated: Date,
  livemode: boolean,
): Promise<MergeResult<RefundRow>> {
  // Order row first, then the refund row: the same lock order as the refund service (no deadlock).
  let orderId = await resolveOrderId(
    tx,
    { metadata: refund.metadata, paymentIntentId: refund.payment_intent },
    { lock: true },
  );
  if (orderId === null && refund.charge) {
    const [charge] = await tx
      .select({ orderId: charges.orderId })
      .from(charges)
      .where(eq(charges.id, refund.charge));
    orderId = charge?.orderId ?? null;
    if (orderId !== null) await lockOrderRow(tx, orderId);
  }
  const row = { ...toRow(refund, orderId, sourceEventCreated), livemode };
  const result = await mergeUpsert(tx, refunds, row, mergeRefund);
  if (result.outcome === "unchanged") return result;
  if (result.row.chargeId) await raiseChargeRefunded(tx, result.row.chargeId);
  await markDaysDirty(tx, ctx.config.reportingTimezone, [result.row.created], ctx.clock.now());
  if (result.row.orderId !== null) await syncOrderRefunds(ctx, tx, result.row.orderId);
  return result;
}

/**
 * A charge has at least the succeeded refunds we hold for it: `charges.amount_refunded` grows to their
 * sum whatever cumulative figure the charge events carried (events built while refunds raced can
 * carry a stale one); it never shrinks, like the merge of charge events.
 */
export async function raiseChargeRefunded(tx: Db, chargeId: string): Promise<void> {
  await tx.execute(
    sql`UPDATE charges c SET amount_refunded = r.total
        FROM (SELECT coalesce(sum(amount), 0)::bigint AS total FROM refunds
              WHERE charge_id = ${chargeId} AND status = 'succeeded') r
        WHERE c.id = ${chargeId} AND c.amount_refunded < r.total`,
  );
}
