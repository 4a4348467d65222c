import { eq, sql } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import { type Db, withoutAnswer } from "../../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../../db/merge-upsert.ts";
import { param, statement } from "../../db/prepared.ts";
import { bare } from "../../db/sql.ts";
import { resolveOrderId, syncOrderRefunds } from "../orders-port.ts";
import { charges, refunds } from "../schema.ts";
import type { RefundRead } from "../stripe/readers/refund.ts";
import { lockOrderAndChargeRefunds, reconcileChargeRefunds } from "./provisional-refunds.ts";

/** A refund row as Stripe's refund objects write it (`provisional` is only set by provisional-refunds.ts). */
export type RefundRow = Omit<typeof refunds.$inferSelect, "provisional"> & { provisional?: boolean };

/** pending / requires_action, then a final status; a final status may still change (succeeded → failed). */
const refundRank = (status: string): number => (status === "pending" || status === "requires_action" ? 0 : 1);

function toRow(
  refund: RefundRead,
  orderId: number | null,
  sourceEventCreated: Date,
  livemode: boolean,
): RefundRow {
  const metadata = refund.metadata;
  return {
    id: refund.id,
    chargeId: refund.chargeId,
    paymentIntentId: refund.paymentIntentId,
    orderId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    created: refund.created,
    livemode,
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
 * Records a refund, from whichever payload carried it (refund events, `charge.refund.updated`, a
 * charge's embedded list, sync; started in the app or in Stripe's dashboard: the same path), once
 * by id. Links it to its order through metadata, its charge or its payment intent, brings the
 * order's refund total and restock in line once it succeeded, and lets it replace the charge's
 * provisional refund. Stripe's record of released authorization money is not a refund: skipped.
 */
export async function upsertRefund(
  ctx: AppContext,
  tx: Db,
  refund: RefundRead,
  sourceEventCreated: Date,
  livemode: boolean,
): Promise<MergeResult<RefundRow> | { outcome: "unchanged"; row: null; previous: null }> {
  if (refund.releasesAuthorization) return { outcome: "unchanged", row: null, previous: null };
  // Order row first (the one its link names, else its charge's), then the refund row: the same lock
  // order as the refund service (no deadlock). Then the charge row: the charge path locks order,
  // charge, refunds in this order too, and the charge's provisional refunds are recomputed under it.
  const link = { metadata: refund.metadata, paymentIntentId: refund.paymentIntentId };
  let orderId: number | null;
  if (refund.chargeId) {
    orderId = await lockOrderAndChargeRefunds(tx, link, refund.chargeId, { viaStoredCharge: true });
    // A lock only: its row is not read, so it travels with the next statement.
    const values = { chargeId: refund.chargeId };
    await withoutAnswer(() => lockCharge.run(tx, values));
  } else {
    orderId = await resolveOrderId(tx, link, { lock: true });
  }
  const row = toRow(refund, orderId, sourceEventCreated, livemode);
  const result = await mergeUpsert<RefundRow>(tx, refunds, row, mergeRefund);
  if (result.outcome === "unchanged") return result;
  await markDaysDirty({ ...ctx, db: tx }, [result.row.created], NO_PAID_ORDERS);
  if (result.row.chargeId) {
    await raiseChargeRefunded(tx, result.row.chargeId);
    await reconcileChargeRefunds(ctx, tx, result.row.chargeId, sourceEventCreated);
  }
  if (result.row.orderId !== null) await syncOrderRefunds(ctx, tx, result.row.orderId);
  return result;
}

/**
 * A charge has at least the succeeded refunds we hold for it plus the authorization money released
 * at a partial capture: `charges.amount_refunded` grows to that whatever cumulative figure the charge
 * events carried (events built while refunds raced can carry a stale one); it never shrinks, like
 * the merge of charge events. Provisional refunds are derived from it, so they do not raise it.
 */
export async function raiseChargeRefunded(tx: Db, chargeId: string): Promise<void> {
  await withoutAnswer(() => raiseRefunded.run(tx, { chargeId }));
}

// Built once (see Statement).
const lockCharge = statement<{ chargeId: string }>()((db) =>
  db
    .select({ id: charges.id })
    .from(charges)
    .where(eq(charges.id, param("chargeId")))
    .for("update"),
);
const raiseRefunded = statement<{ chargeId: string }>()((db) => {
  const c = charges;
  const released = sql`CASE WHEN ${c.captured} IS TRUE THEN ${c.amount} - coalesce(${c.amountCaptured}, ${c.amount}) ELSE 0 END`;
  return db.execute(
    sql`UPDATE ${c} SET ${bare(c.amountRefunded)} = r.total + ${released}
      FROM (SELECT coalesce(sum(${refunds.amount}), 0)::bigint AS total FROM ${refunds}
            WHERE ${refunds.chargeId} = ${param("chargeId")} AND ${refunds.status} = 'succeeded'
              AND NOT ${refunds.provisional}) r
      WHERE ${c.id} = ${param("chargeId")} AND ${c.amountRefunded} < r.total + ${released}`,
  );
});
