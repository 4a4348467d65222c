import { upsertDiscount } from "../../../subscriptions/discounts.ts";
import { refreshDiscountedMrr } from "../../../subscriptions/upsert.ts";
import { readDiscount } from "../readers/discount.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/**
 * customer.discount.created / updated / deleted: the discount object, which resolves the discount
 * ids subscriptions carry (from 2025-03-31 they are not expanded). A deletion ends it at that event.
 */
export const onDiscount: EventHandler = async ({ ctx, tx, event }) => {
  const at = eventCreated(event);
  const discount = readDiscount(event.data.object);
  const deletedAt = event.type === "customer.discount.deleted" ? at : null;
  await upsertDiscount(ctx, tx, discount, { livemode: event.livemode, at, deletedAt });
  await refreshDiscountedMrr(ctx, tx, discount.id);
};
