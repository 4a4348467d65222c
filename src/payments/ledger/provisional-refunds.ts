import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../../analytics/dirty.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { param, statement } from "../../db/prepared.ts";
import { lockOrderThen, type OrderLink, syncOrderRefunds } from "../orders-port.ts";
import { charges, refunds } from "../schema.ts";

/**
 * The id of a charge's provisional refund: the refunded captured money it shows (`amount_refunded`)
 * beyond its known refunds, one per charge (kpis.md `refunds`).
 */
export const provisionalRefundId = (chargeId: string) => `provisional_${chargeId}_1`;

const CHARGE_REFUNDS_LOCK = 7_240_012;

/**
 * The charge's refunds lock: serialises everything that writes one charge's refunds (charge events,
 * refund events, sync) for the rest of the transaction, even before the charge row exists: without
 * it a refund and the first event of its charge, applied at once on two connections, each miss the
 * other and the money is counted twice (the refund and a provisional one). Re-entrant within a
 * transaction. Its charge is the param `chargeId`.
 */
const chargeRefundsLock = sql`pg_advisory_xact_lock(${CHARGE_REFUNDS_LOCK}, hashtext(${param("chargeId")}))`;
const lockWithOrder = lockOrderThen<{ chargeId: string }>(chargeRefundsLock);
const lockWithOrderViaStoredCharge = lockOrderThen<{ chargeId: string }>(
  chargeRefundsLock,
  sql`(SELECT ${charges.orderId} FROM ${charges} WHERE ${charges.id} = ${param("chargeId")})`,
);

/**
 * `resolveOrderId(…, { lock: true })` then the charge's refunds lock (the lock order of every ledger
 * write) in one statement. With `viaStoredCharge`, an order the link does not name is looked up on
 * the stored charge (ranked last). Returns the order's id, or `null`.
 */
export async function lockOrderAndChargeRefunds(
  tx: Db,
  link: OrderLink,
  chargeId: string,
  options: { viaStoredCharge?: boolean } = {},
): Promise<number | null> {
  const lock = options.viaStoredCharge ? lockWithOrderViaStoredCharge : lockWithOrder;
  return lock(tx, link, { chargeId });
}

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
 * succeeded refunds, dated by the earliest event that showed the charge's current `amount_refunded`
 * (`charges.amount_refunded_at`). As refund objects become known they take its place (it shrinks,
 * then goes), so the money is never counted twice and the figure ends as the refund objects say.
 * It is a function of the charge row and the known refunds alone, so events that arrive in any
 * order, or at once on several servers (the charge row is locked), end in the same rows.
 */
export async function reconcileChargeRefunds(
  ctx: AppContext,
  tx: Db,
  chargeId: string,
  observedAt: Date,
): Promise<void> {
  // The charge row (locked) and the sum of its known refunds in one statement; every writer of this
  // charge's refunds holds its refunds lock (lockOrderAndChargeRefunds), taken before, so the sum cannot move meanwhile.
  const [found] = await lockChargeWithKnownRefunds.run(tx, { chargeId });
  if (!found) return;
  const charge = found.charge;
  const target = Math.max(0, refundedCapturedMoney(charge) - found.known);
  const at = charge.amountRefundedAt ?? observedAt;
  const id = provisionalRefundId(chargeId);
  const stored = await lockProvisionalRefunds.run(tx, { chargeId });
  const current = stored.find((r) => r.id === id);
  const unchanged =
    stored.length === (target > 0 ? 1 : 0) &&
    (target === 0 || (current?.amount === target && current.created.getTime() === at.getTime()));
  if (unchanged) return;
  const changedDays: Date[] = stored.map((r) => r.created);
  for (const row of stored) await tx.delete(refunds).where(eq(refunds.id, row.id));
  if (target > 0) {
    await tx.insert(refunds).values({
      id,
      chargeId,
      paymentIntentId: charge.paymentIntentId,
      orderId: charge.orderId,
      amount: target,
      currency: charge.currency,
      status: "succeeded",
      reason: null,
      created: at,
      livemode: charge.livemode,
      provisional: true,
      sourceEventCreated: at,
    });
    changedDays.push(at);
  }
  await markDaysDirty({ ...ctx, db: tx }, changedDays, NO_PAID_ORDERS);
  if (charge.orderId !== null) await syncOrderRefunds(ctx, tx, charge.orderId);
}

// The two reads of every reconciliation, built once (see Statement).
const lockChargeWithKnownRefunds = statement<{ chargeId: string }>()((db) => {
  const known = sql<number>`(SELECT coalesce(sum(${refunds.amount}), 0)::bigint FROM ${refunds}
    WHERE ${refunds.chargeId} = ${param("chargeId")} AND ${refunds.status} = 'succeeded' AND NOT ${refunds.provisional})`;
  return db
    .select({ charge: getTableColumns(charges), known: known.mapWith(Number) })
    .from(charges)
    .where(eq(charges.id, param("chargeId")))
    .for("update");
});
const lockProvisionalRefunds = statement<{ chargeId: string }>()((db) =>
  db
    .select()
    .from(refunds)
    .where(and(eq(refunds.chargeId, param("chargeId")), eq(refunds.provisional, true)))
    .orderBy(asc(refunds.created), asc(refunds.id))
    .for("update"),
);
