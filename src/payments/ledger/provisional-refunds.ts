import { and, eq, sql } from "drizzle-orm";
import { markDaysDirty } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { syncOrderRefunds } from "../orders-port.ts";
import { charges, refunds } from "../schema.ts";

/** The id of a charge's provisional refund (one per charge at most). */
export const provisionalRefundId = (chargeId: string) => `provisional_${chargeId}`;

/**
 * A charge's refunded captured money (kpis.md `refunds`): Stripe's `amount_refunded` also holds the
 * authorization money released without capture (`amount − amount_captured`), which is not a refund.
 * Never below 0; an authorization not captured yet has none.
 */
export function refundedCapturedMoney(charge: {
  amount: number;
  amountCaptured: number | null;
  amountRefunded: number;
}): number {
  const captured = charge.amountCaptured ?? charge.amount;
  return Math.max(0, charge.amountRefunded - (charge.amount - captured));
}

/**
 * Keeps the charge's provisional refund equal to its refunded captured money beyond its known
 * succeeded refunds: created (dated `observedAt`, the event that first showed it) when the charge
 * shows more than the refund objects we hold, lowered as they become known, and deleted once they
 * cover it, so the money is never counted twice.
 */
export async function reconcileChargeRefunds(
  ctx: AppContext,
  tx: Db,
  chargeId: string,
  observedAt: Date,
): Promise<void> {
  const [charge] = await tx.select().from(charges).where(eq(charges.id, chargeId));
  if (!charge) return;
  const known = await queryOne<{ total: number | string }>(
    tx,
    sql`SELECT coalesce(sum(amount), 0) AS total FROM refunds
        WHERE charge_id = ${chargeId} AND status = 'succeeded' AND NOT provisional`,
  );
  const excess = refundedCapturedMoney(charge) - Number(known?.total ?? 0);
  const id = provisionalRefundId(chargeId);
  const [stored] = await tx.select().from(refunds).where(eq(refunds.id, id)).for("update");
  let changedDay: Date;
  if (excess > 0 && !stored) {
    await tx.insert(refunds).values({
      id,
      chargeId,
      paymentIntentId: charge.paymentIntentId,
      orderId: charge.orderId,
      amount: excess,
      currency: charge.currency,
      status: "succeeded",
      reason: null,
      created: observedAt,
      livemode: charge.livemode,
      provisional: true,
      sourceEventCreated: observedAt,
    });
    changedDay = observedAt;
  } else if (excess > 0 && stored && stored.amount !== excess) {
    // Still dated by the event that first showed it.
    await tx
      .update(refunds)
      .set({ amount: excess, orderId: stored.orderId ?? charge.orderId })
      .where(and(eq(refunds.id, id), eq(refunds.provisional, true)));
    changedDay = stored.created;
  } else if (excess <= 0 && stored) {
    await tx.delete(refunds).where(and(eq(refunds.id, id), eq(refunds.provisional, true)));
    changedDay = stored.created;
  } else {
    return;
  }
  await markDaysDirty(tx, ctx.config.reportingTimezone, [changedDay], ctx.clock.now());
  if (charge.orderId !== null) await syncOrderRefunds(ctx, tx, charge.orderId);
}
