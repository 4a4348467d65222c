/**
 * MRR with discounts at an instant (kpis.md): which stored discounts are known (their terms, maybe
 * borrowed from their coupon) and when they apply. Subscriptions stores each state's MRR with it;
 * the history and the snapshot builds take MRR at any instant with it.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { coupons, discounts } from "../../subscriptions/schema.ts";
import { type MrrItem, subscriptionMrr } from "../core/mrr-formula.ts";

type DiscountRow = typeof discounts.$inferSelect;

/** Whether the coupon's terms are known (an expanded coupon with percent_off or amount_off). */
export function hasTerms(d: { percentOff: number | null; amountOff: number | null }): boolean {
  return d.percentOff !== null || d.amountOff !== null;
}

/** A stored discount as MRR needs it: terms (maybe borrowed from its coupon) and when it applies. */
export interface KnownDiscount {
  id: string;
  percentOff: number | null;
  amountOff: number | null;
  start: Date | null;
  /** The earlier of its `end` and its deletion. */
  until: Date | null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

/**
 * The stored discounts among `ids` (all of them when `ids` is omitted), with coupon terms borrowed
 * from another discount of the same coupon when this one only named it. A discount with no known
 * terms is left out: its subscription counts at list price and `unresolved-discounts` names it.
 */
export async function loadKnownDiscounts(
  db: Db,
  ids?: readonly string[],
): Promise<Map<string, KnownDiscount>> {
  if (ids !== undefined && ids.length === 0) return new Map();
  const rows = await (ids === undefined
    ? db.select().from(discounts)
    : db
        .select()
        .from(discounts)
        .where(inArray(discounts.id, [...ids])));
  const couponIds = rows.filter((r) => !hasTerms(r) && r.couponId !== null).map((r) => r.couponId!);
  const byCoupon = new Map<string, Pick<DiscountRow, "percentOff" | "amountOff">>();
  if (couponIds.length > 0) {
    const donors = await db.select().from(discounts).where(inArray(discounts.couponId, couponIds));
    for (const r of donors) if (hasTerms(r) && r.couponId) byCoupon.set(r.couponId, r);
    const known = await db.select().from(coupons).where(inArray(coupons.id, couponIds));
    for (const c of known) if (hasTerms(c)) byCoupon.set(c.id, c);
  }
  const map = new Map<string, KnownDiscount>();
  for (const r of rows) {
    const source = hasTerms(r) ? r : r.couponId ? byCoupon.get(r.couponId) : undefined;
    if (!source) continue;
    map.set(r.id, {
      id: r.id,
      percentOff: source.percentOff === null ? null : Number(source.percentOff),
      amountOff: source.amountOff,
      start: r.start,
      until: earliest(r.end, r.deletedAt),
    });
  }
  return map;
}

/** Whether a known discount applies at `instant`: from its start until its end (or deletion). */
export function appliesAt(d: KnownDiscount, instant: Date): boolean {
  const t = instant.getTime();
  return (d.start === null || d.start.getTime() <= t) && (d.until === null || t < d.until.getTime());
}

/** The instants at which a discount starts or stops applying: MRR may change there. */
export function discountBoundaries(d: KnownDiscount): Date[] {
  return [d.start, d.until].filter((x): x is Date => x !== null);
}

/** What MRR needs of one subscription state. `discountIds` null: a row stored before discounts. */
export interface DiscountedState {
  status: string;
  items: MrrItem[];
  percentOff: number | null;
  discountIds: readonly string[] | null;
}

/**
 * The MRR of a state at `instant` (kpis.md): its discounts that apply then, resolved through the
 * stored discount objects. An id not resolved counts nothing off (list price); the
 * `unresolved-discounts` check names the subscription.
 */
export function mrrAt(
  state: DiscountedState,
  known: ReadonlyMap<string, KnownDiscount>,
  instant: Date,
): number {
  if (state.discountIds === null) return subscriptionMrr(state);
  const applying: KnownDiscount[] = [];
  for (const id of state.discountIds) {
    const d = known.get(id);
    if (d && appliesAt(d, instant)) applying.push(d);
  }
  return subscriptionMrr({ status: state.status, items: state.items, percentOff: null, discounts: applying });
}
