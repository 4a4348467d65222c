import type { DiscountState } from "../../../subscriptions/index.ts";
import { idOf, type Json, num, PayloadShapeError, record, text, unix } from "./billing-fields.ts";

export type { DiscountState };

/**
 * Reads a Discount. The coupon sits under `coupon` (auto-expanded) up to 2025-03-31.basil, and under
 * `source.coupon` (an id unless expanded) from 2025-09-30.clover on; both are accepted in any version.
 */
export function readDiscount(raw: unknown): DiscountState {
  const d = record(raw);
  const id = text(d?.id);
  if (!d || id === null) throw new PayloadShapeError("discount has no id");
  const couponRef = d.coupon ?? record(d.source)?.coupon;
  const coupon = record(couponRef);
  return {
    id,
    subscriptionId: idOf(d.subscription),
    stripeCustomerId: idOf(d.customer),
    couponId: idOf(couponRef),
    ...couponTerms(coupon),
    start: unix(d.start),
    end: unix(d.end),
  };
}

function couponTerms(coupon: Json | null): Pick<DiscountState, "percentOff" | "amountOff" | "currency"> {
  if (!coupon) return { percentOff: null, amountOff: null, currency: null };
  return {
    percentOff: num(coupon.percent_off),
    amountOff: num(coupon.amount_off),
    currency: text(coupon.currency)?.toLowerCase() ?? null,
  };
}

/**
 * The discounts a payload carries as ids or objects (`discounts` of any version, and the single
 * `discount` of versions before 2025-03-31): the ids in order, and the objects that were expanded.
 */
export function readDiscountRefs(object: Json): { ids: string[]; expanded: DiscountState[] } {
  const ids: string[] = [];
  const expanded: DiscountState[] = [];
  const add = (ref: unknown) => {
    const id = idOf(ref);
    if (id === null) return;
    if (!ids.includes(id)) ids.push(id);
    if (record(ref) && !expanded.some((d) => d.id === id)) expanded.push(readDiscount(ref));
  };
  if (Array.isArray(object.discounts)) for (const ref of object.discounts) add(ref);
  if (object.discount != null) add(object.discount);
  return { ids, expanded };
}

/** Reads a Coupon (`coupon.created` / `coupon.updated`, or expanded anywhere). */
export function readCoupon(raw: unknown): {
  id: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
} {
  const c = record(raw);
  const id = text(c?.id);
  if (!c || id === null) throw new PayloadShapeError("coupon has no id");
  return { id, ...couponTerms(c) };
}
