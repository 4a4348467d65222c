import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { coupons, discounts, subscriptions } from "./schema.ts";

const s = subscriptions;
const d = discounts;
const k = coupons;
/** Another discount of the same coupon (the same table, named apart from the outer one). */
const sibling = alias(discounts, "sibling");

/**
 * Subscriptions whose current state names a discount id we cannot resolve (no stored discount with
 * known coupon terms, directly or through its coupon). The `unresolved-discounts` check reads this too.
 */
export const UNRESOLVED_DISCOUNTS_SQL = sql`
  SELECT ${s.id} AS subscription_id, ${s.livemode} AS livemode, ${s.mrr} AS mrr, ${s.currency} AS currency,
         ids.discount_id
  FROM ${s}
  CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(${s.discountIds}, '[]'::jsonb)) AS ids(discount_id)
  WHERE NOT EXISTS (
    SELECT 1 FROM ${d}
    WHERE ${d.id} = ids.discount_id
      AND (${d.percentOff} IS NOT NULL OR ${d.amountOff} IS NOT NULL
           OR EXISTS (SELECT 1 FROM ${discounts} AS ${sibling} WHERE ${sibling.couponId} = ${d.couponId}
                        AND (${sibling.percentOff} IS NOT NULL OR ${sibling.amountOff} IS NOT NULL))
           OR EXISTS (SELECT 1 FROM ${k} WHERE ${k.id} = ${d.couponId}
                        AND (${k.percentOff} IS NOT NULL OR ${k.amountOff} IS NOT NULL))))
  ORDER BY ${s.id}, ids.discount_id`;
