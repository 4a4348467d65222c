import { and, asc, eq, sql } from "drizzle-orm";
import { markDaysDirty } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { syncOrderRefunds } from "../orders-port.ts";
import { charges, refunds } from "../schema.ts";

/**
 * The id of a charge's `n`th provisional refund. Each rise of the money a charge shows refunded
 * beyond its known refunds is one provisional refund, dated by the event that first showed it.
 */
export const provisionalRefundId = (chargeId: string, n: number) => `provisional_${chargeId}_${n}`;

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
 * Keeps the charge's provisional refunds equal to its refunded captured money beyond its known
 * succeeded refunds: a rise is a new provisional refund dated `observedAt` (the event that first
 * showed it); refund objects, as they become known, replace the oldest first (lowered, then
 * deleted), so the money is never counted twice and the figure ends as the refund objects say.
 */
export async function reconcileChargeRefunds(
  ctx: AppContext,
  tx: Db,
  chargeId: string,
  observedAt: Date,
): Promise<void> {
  const [charge] = await tx.select().from(charges).where(eq(charges.id, chargeId)).for("update");
  if (!charge) return;
  const known = await queryOne<{ total: number | string }>(
    tx,
    sql`SELECT coalesce(sum(amount), 0) AS total FROM refunds
        WHERE charge_id = ${chargeId} AND status = 'succeeded' AND NOT provisional`,
  );
  const target = Math.max(0, refundedCapturedMoney(charge) - Number(known?.total ?? 0));
  const stored = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.chargeId, chargeId), eq(refunds.provisional, true)))
    .orderBy(asc(refunds.created), asc(refunds.id))
    .for("update");
  const held = stored.reduce((sum, r) => sum + r.amount, 0);
  if (target === held) return;
  const changedDays: Date[] = [];
  if (target > held) {
    const n = stored.reduce((max, r) => Math.max(max, Number(r.id.split("_").at(-1)) || 0), 0) + 1;
    await tx.insert(refunds).values({
      id: provisionalRefundId(chargeId, n),
      chargeId,
      paymentIntentId: charge.paymentIntentId,
      orderId: charge.orderId,
      amount: target - held,
      currency: charge.currency,
      status: "succeeded",
      reason: null,
      created: observedAt,
      livemode: charge.livemode,
      provisional: true,
      sourceEventCreated: observedAt,
    });
    changedDays.push(observedAt);
  } else {
    let excess = held - target;
    for (const row of stored) {
      if (excess === 0) break;
      const cut = Math.min(excess, row.amount);
      excess -= cut;
      changedDays.push(row.created);
      if (cut === row.amount) await tx.delete(refunds).where(eq(refunds.id, row.id));
      else
        await tx
          .update(refunds)
          .set({ amount: row.amount - cut })
          .where(eq(refunds.id, row.id));
    }
  }
  await markDaysDirty(tx, ctx.config.reportingTimezone, changedDays, ctx.clock.now());
  if (charge.orderId !== null) await syncOrderRefunds(ctx, tx, charge.orderId);
}
