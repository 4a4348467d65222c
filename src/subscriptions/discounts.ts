import { sql } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../analytics/dirty.ts";
import { hasTerms } from "../analytics/mrr/known-discounts.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import type { UpsertOutcome } from "../db/merge-upsert.ts";
import { coupons, discounts } from "./schema.ts";
import type { DiscountState } from "./stripe-inputs.ts";

export type DiscountRow = typeof discounts.$inferSelect;

/**
 * Records a discount (from `customer.discount.*`, an expanded payload, or the Stripe API). A newer
 * source wins for dates; coupon terms are kept when the incoming shape only names the coupon; a
 * deletion stays. Marks the days it starts and stops dirty, as MRR changes there. Runs in the
 * caller's transaction: `ctx` is `{ ...ctx, db: tx }`.
 */
export async function upsertDiscount(
  ctx: AppContext,
  d: DiscountState,
  source: { livemode: boolean; at: Date; deletedAt?: Date | null },
): Promise<UpsertOutcome> {
  const tx = ctx.db;
  const row: DiscountRow = {
    id: d.id,
    subscriptionId: d.subscriptionId,
    stripeCustomerId: d.stripeCustomerId,
    couponId: d.couponId,
    percentOff: d.percentOff,
    amountOff: d.amountOff,
    currency: d.currency,
    start: d.start,
    end: d.end,
    deletedAt: source.deletedAt ?? null,
    livemode: source.livemode,
    sourceEventCreated: source.at,
  };
  const [stored] = await tx.select().from(discounts).where(sql`${discounts.id} = ${d.id}`).for("update");
  let next: DiscountRow = await withCouponTerms(tx, row);
  if (stored) {
    const newer = row.sourceEventCreated.getTime() >= stored.sourceEventCreated.getTime();
    const base = newer ? row : stored;
    const other = newer ? stored : row;
    next = {
      ...base,
      subscriptionId: base.subscriptionId ?? other.subscriptionId,
      stripeCustomerId: base.stripeCustomerId ?? other.stripeCustomerId,
      couponId: base.couponId ?? other.couponId,
      ...(hasTerms(base) ? terms(base) : terms(other)),
      start: base.start ?? other.start,
      deletedAt: earliest(stored.deletedAt, row.deletedAt),
      sourceEventCreated: newer ? row.sourceEventCreated : stored.sourceEventCreated,
    };
    next = await withCouponTerms(tx, next);
    if (JSON.stringify(next) === JSON.stringify(stored)) return "unchanged";
    await tx.update(discounts).set(next).where(sql`${discounts.id} = ${d.id}`);
  } else {
    const inserted = await tx.insert(discounts).values(next).onConflictDoNothing().returning();
    if (inserted.length === 0) return upsertDiscount(ctx, d, source);
  }
  await markDaysDirty(
    ctx,
    [next.start, next.end, next.deletedAt, stored?.end, stored?.start, source.at],
    NO_PAID_ORDERS,
  );
  return stored ? "updated" : "created";
}

/** A discount that only names its coupon takes the coupon's stored terms, so every version stores one row. */
async function withCouponTerms(tx: Db, row: DiscountRow): Promise<DiscountRow> {
  if (hasTerms(row) || row.couponId === null) return row;
  const [coupon] = await tx.select().from(coupons).where(sql`${coupons.id} = ${row.couponId}`);
  if (!coupon || !hasTerms(coupon)) return row;
  return { ...row, percentOff: coupon.percentOff, amountOff: coupon.amountOff, currency: coupon.currency };
}

function terms(r: DiscountRow) {
  return { percentOff: r.percentOff, amountOff: r.amountOff, currency: r.currency };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

export interface CouponTerms {
  id: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
}

/**
 * Records a coupon's terms (`coupon.created/updated`, or a coupon seen expanded). From 2025-09-30 a
 * discount names its coupon by id only, so discounts resolve through these. Terms of a coupon do
 * not change in Stripe once created; the newest seen wins all the same. Runs in the caller's
 * transaction: `ctx` is `{ ...ctx, db: tx }`.
 */
export async function upsertCoupon(
  ctx: AppContext,
  coupon: CouponTerms,
  source: { livemode: boolean; at: Date },
): Promise<void> {
  const tx = ctx.db;
  const row = { ...coupon, livemode: source.livemode, sourceEventCreated: source.at };
  await tx
    .insert(coupons)
    .values(row)
    .onConflictDoUpdate({
      target: coupons.id,
      set: row,
      setWhere: sql`${coupons.sourceEventCreated} <= ${source.at}`,
    });
  // Discounts stored before their coupon's terms were known take them now.
  await tx
    .update(discounts)
    .set({ percentOff: coupon.percentOff, amountOff: coupon.amountOff, currency: coupon.currency })
    .where(
      sql`${discounts.couponId} = ${coupon.id} AND ${discounts.percentOff} IS NULL AND ${discounts.amountOff} IS NULL`,
    );
  const users = await tx
    .select({ start: discounts.start, end: discounts.end })
    .from(discounts)
    .where(sql`${discounts.couponId} = ${coupon.id}`);
  await markDaysDirty(ctx, [source.at, ...users.flatMap((u) => [u.start, u.end])], NO_PAID_ORDERS);
}

/** Ids of the stored discounts made from coupon `couponId`, read in the caller's transaction. */
export async function discountIdsOfCoupon(tx: Db, couponId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: discounts.id })
    .from(discounts)
    .where(sql`${discounts.couponId} = ${couponId}`);
  return rows.map((r) => r.id);
}
