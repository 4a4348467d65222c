import {
  discountIdsOfCoupon,
  refreshDiscountedMrr,
  upsertCoupon,
  upsertDiscount,
} from "../../../subscriptions/index.ts";
import { readCoupon, readDiscount } from "../readers/discount.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/**
 * customer.discount.created / updated / deleted: the discount object, which resolves the discount
 * ids subscriptions carry (from 2025-03-31 they are not expanded). A deletion ends it at that event.
 */
export const onDiscount: EventHandler = async ({ ctx, tx, event }) => {
  const at = eventCreated(event);
  const discount = readDiscount(event.data.object);
  const deletedAt = event.type === "customer.discount.deleted" ? at : null;
  await upsertDiscount({ ...ctx, db: tx }, discount, { livemode: event.livemode, at, deletedAt });
  await refreshDiscountedMrr({ ...ctx, db: tx }, discount.id);
};

/**
 * coupon.created / coupon.updated: coupon terms, which resolve discounts that name their coupon by
 * id only (2025-09-30 on). A deleted coupon still applies to the discounts already made from it.
 */
export const onCoupon: EventHandler = async ({ ctx, tx, event }) => {
  const coupon = readCoupon(event.data.object);
  await upsertCoupon({ ...ctx, db: tx }, coupon, { livemode: event.livemode, at: eventCreated(event) });
  for (const id of await discountIdsOfCoupon(tx, coupon.id))
    await refreshDiscountedMrr({ ...ctx, db: tx }, id);
};
