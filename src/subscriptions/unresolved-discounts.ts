import { sql } from "drizzle-orm";

/**
 * Subscriptions whose current state names a discount id we cannot resolve (no stored discount with
 * known coupon terms, directly or through its coupon). The `unresolved-discounts` check reads this too.
 */
export const UNRESOLVED_DISCOUNTS_SQL = sql`
  SELECT s.id AS subscription_id, s.livemode, s.mrr, s.currency, ids.discount_id
  FROM subscriptions s
  CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(s.discount_ids, '[]'::jsonb)) AS ids(discount_id)
  WHERE NOT EXISTS (
    SELECT 1 FROM discounts d
    WHERE d.id = ids.discount_id
      AND (d.percent_off IS NOT NULL OR d.amount_off IS NOT NULL
           OR EXISTS (SELECT 1 FROM discounts c WHERE c.coupon_id = d.coupon_id
                        AND (c.percent_off IS NOT NULL OR c.amount_off IS NOT NULL))
           OR EXISTS (SELECT 1 FROM coupons k WHERE k.id = d.coupon_id
                        AND (k.percent_off IS NOT NULL OR k.amount_off IS NOT NULL))))
  ORDER BY s.id, ids.discount_id`;
