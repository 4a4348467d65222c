/**
 * Coupon and Discount payloads per API version family.
 *
 * - Coupon (`percent_off`, `amount_off` + `currency`, `duration`…): the same in every family.
 * - Discount up to 2025-03-31.basil: `coupon` is the whole Coupon object (auto-expanded).
 * - Discount from 2025-09-30.clover: no `coupon`; `source: { type: "coupon", coupon: "<id>" }`,
 *   and the coupon is NOT expanded, including inside event notifications (Stripe API changelog
 *   2025-09-30.clover "Adds the Discount source property and removes the Discount coupon property").
 *   A reader then needs the Coupon from a `coupon.*` event or the API.
 * - `customer_account` on Discount appears in the newest family only.
 */
import { cloverOrLater, type Family, isNewest } from "./versions.ts";

export interface CouponInput {
  id: string;
  created: number;
  percentOff?: number;
  amountOff?: number;
  currency?: string;
}

export function coupon(_family: Family, c: CouponInput): Record<string, unknown> {
  return {
    id: c.id,
    object: "coupon",
    amount_off: c.amountOff ?? null,
    created: c.created,
    currency: c.amountOff === undefined ? null : (c.currency ?? null),
    duration: "forever",
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: c.id,
    percent_off: c.percentOff ?? null,
    redeem_by: null,
    times_redeemed: 1,
    valid: true,
  };
}

export function discount(
  family: Family,
  d: { id: string; coupon: CouponInput; customer: string; subscription: string | null; start: number },
): Record<string, unknown> {
  const source = cloverOrLater(family)
    ? { source: { coupon: d.coupon.id, type: "coupon" } }
    : { coupon: coupon(family, d.coupon) };
  return {
    id: d.id,
    object: "discount",
    checkout_session: null,
    ...(cloverOrLater(family) ? {} : source),
    customer: d.customer,
    ...(isNewest(family) ? { customer_account: null } : {}),
    end: null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    ...(cloverOrLater(family) ? source : {}),
    start: d.start,
    subscription: d.subscription,
    subscription_item: null,
  };
}
