import { eq } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../../db/merge-upsert.ts";
import { charges, disputes } from "../schema.ts";
import type { DisputeRead } from "../stripe/readers/dispute.ts";

export type DisputeRow = typeof disputes.$inferSelect;

const CLOSED = new Set(["won", "lost", "warning_closed"]);
const disputeRank = (status: string): number => (CLOSED.has(status) ? 1 : 0);

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}

export function mergeDispute(stored: DisputeRow, incoming: DisputeRow): DisputeRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    orderId: stored.orderId ?? incoming.orderId,
    amount: newer ? incoming.amount : stored.amount,
    status: pickByRank(disputeRank, stored.status, incoming.status, newer),
    reason: newer ? incoming.reason : stored.reason,
    // The first event that showed it lost dates the loss, whatever order the events arrive in.
    lostAt: earliest(stored.lostAt, incoming.lostAt),
    // The newest payload's deadline; a payload without one (older API versions) keeps the known one.
    evidenceDueBy: (newer ? incoming.evidenceDueBy : null) ?? stored.evidenceDueBy ?? incoming.evidenceDueBy,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records a dispute (inquiry or chargeback, opened or closed); it is linked to an order through its
 * charge. `observedAt` is when this payload showed it (the event's `created`; sync: the run's time).
 */
export async function upsertDispute(
  ctx: AppContext,
  tx: Db,
  dispute: DisputeRead,
  sourceEventCreated: Date,
  observedAt: Date = sourceEventCreated,
): Promise<MergeResult<DisputeRow>> {
  const [charge] = await tx
    .select({ orderId: charges.orderId })
    .from(charges)
    .where(eq(charges.id, dispute.chargeId));
  const row: DisputeRow = {
    id: dispute.id,
    chargeId: dispute.chargeId,
    orderId: charge?.orderId ?? null,
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    reason: dispute.reason,
    created: dispute.created,
    livemode: dispute.livemode,
    lostAt: dispute.isLost ? observedAt : null,
    evidenceDueBy: dispute.evidenceDueBy,
    sourceEventCreated,
  };
  const result = await mergeUpsert(tx, disputes, row, mergeDispute);
  if (result.outcome !== "unchanged") {
    const days = [result.row.created, result.row.lostAt, result.previous?.lostAt ?? null];
    await markDaysDirty(
      { ...ctx, db: tx },
      days.filter((d): d is Date => d !== null),
      NO_PAID_ORDERS,
    );
  }
  return result;
}
