import { desc, eq, inArray, or, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { charges, disputes, refunds } from "./schema.ts";

/** Whose ledger rows to read: the customer's orders and their Stripe customer id. */
export interface LedgerOwner {
  orderIds: number[];
  stripeCustomerId: string | null;
}

export type ChargeRow = typeof charges.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type DisputeRow = typeof disputes.$inferSelect;

export interface CustomerLedger {
  charges: ChargeRow[];
  refunds: RefundRow[];
  disputes: DisputeRow[];
}

/**
 * A customer's charges, refunds and disputes, newest first, at most `limit` of each: the rows of
 * their orders and of their Stripe customer (subscription invoices have no order). Every condition
 * is an index lookup (order id, Stripe customer id, charge id), never a scan of the ledger.
 */
export async function ledgerOfCustomer(
  ctx: ServiceContext,
  owner: LedgerOwner,
  limit: number,
): Promise<CustomerLedger> {
  const db = ctx.readDb;
  const byOrder = (column: typeof charges.orderId | typeof refunds.orderId | typeof disputes.orderId) =>
    owner.orderIds.length > 0 ? inArray(column, owner.orderIds) : undefined;
  const ofStripeCustomer = owner.stripeCustomerId
    ? db.select({ id: charges.id }).from(charges).where(eq(charges.stripeCustomerId, owner.stripeCustomerId))
    : undefined;
  const either = (...conds: Array<SQL | undefined>) => {
    const present = conds.filter((c): c is SQL => c !== undefined);
    return present.length > 0 ? or(...present) : undefined;
  };

  const chargeWhere = either(
    byOrder(charges.orderId),
    owner.stripeCustomerId ? eq(charges.stripeCustomerId, owner.stripeCustomerId) : undefined,
  );
  const refundWhere = either(
    byOrder(refunds.orderId),
    ofStripeCustomer ? inArray(refunds.chargeId, ofStripeCustomer) : undefined,
  );
  const disputeWhere = either(
    byOrder(disputes.orderId),
    ofStripeCustomer ? inArray(disputes.chargeId, ofStripeCustomer) : undefined,
  );
  if (!chargeWhere) return { charges: [], refunds: [], disputes: [] };
  const [chargeRows, refundRows, disputeRows] = await Promise.all([
    db
      .select()
      .from(charges)
      .where(chargeWhere)
      .orderBy(desc(charges.created), desc(charges.id))
      .limit(limit),
    db
      .select()
      .from(refunds)
      .where(refundWhere)
      .orderBy(desc(refunds.created), desc(refunds.id))
      .limit(limit),
    db
      .select()
      .from(disputes)
      .where(disputeWhere)
      .orderBy(desc(disputes.created), desc(disputes.id))
      .limit(limit),
  ]);
  return { charges: chargeRows, refunds: refundRows, disputes: disputeRows };
}
