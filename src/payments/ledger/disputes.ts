import { eq } from "drizzle-orm";
import { markDaysDirty } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { charges, disputes } from "../schema.ts";
import type { DisputeObject } from "../stripe/stripe-objects.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "./merge.ts";

export type DisputeRow = typeof disputes.$inferSelect;

const CLOSED = new Set(["won", "lost", "warning_closed"]);
const disputeRank = (status: string): number => (CLOSED.has(status) ? 1 : 0);

export function mergeDispute(stored: DisputeRow, incoming: DisputeRow): DisputeRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    orderId: stored.orderId ?? incoming.orderId,
    amount: newer ? incoming.amount : stored.amount,
    status: pickByRank(disputeRank, stored.status, incoming.status, newer),
    reason: newer ? incoming.reason : stored.reason,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/** Records a dispute (opened or closed); it is linked to an order through its charge. */
export async function upsertDispute(
  ctx: AppContext,
  tx: Db,
  dispute: DisputeObject,
  sourceEventCreated: Date,
): Promise<MergeResult<DisputeRow>> {
  const [charge] = await tx
    .select({ orderId: charges.orderId })
    .from(charges)
    .where(eq(charges.id, dispute.charge));
  const row: DisputeRow = {
    id: dispute.id,
    chargeId: dispute.charge,
    orderId: charge?.orderId ?? null,
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    reason: dispute.reason ?? null,
    created: new Date(dispute.created * 1000),
    livemode: dispute.livemode,
    sourceEventCreated,
  };
  const result = await mergeUpsert(tx, disputes, row, mergeDispute);
  if (result.outcome !== "unchanged") {
    await markDaysDirty(tx, ctx.config.reportingTimezone, [result.row.created], ctx.clock.now());
  }
  return result;
}
