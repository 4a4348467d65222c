import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { type DayRange, localDay } from "./facts.ts";

/**
 * A paid order that lands in the range late (its `paid_at` in the past) changes how many orders its
 * customer had before every later day. When snapshot rows exist after the range, correct their
 * `orders_before` from the raw orders of the customers concerned, and the new-customer counts of
 * the days that changed, so a rebuild of only the dirty days still equals the raw path.
 */
export async function refreshLaterCustomerRows(db: Db, r: DayRange): Promise<number> {
  const later = await queryOne(
    db,
    sql`SELECT 1 AS x FROM snap_customer_orders WHERE day > ${r.to}::date LIMIT 1`,
  );
  if (!later) return 0;
  const changed = await queryRows<{ day: string; currency: string; livemode: boolean }>(
    db,
    sql`WITH scope AS (
          SELECT DISTINCT customer_id FROM orders WHERE paid_at >= ${r.start} AND paid_at < ${r.end}
        ), per_day AS (
          SELECT ${localDay("o.paid_at", r.timezone)} AS day, lower(o.currency) AS currency, o.livemode,
                 o.customer_id, count(*) AS orders
          FROM orders o JOIN scope s ON s.customer_id = o.customer_id
          WHERE o.paid_at IS NOT NULL
          GROUP BY 1, 2, 3, 4
        ), running AS (
          SELECT *, coalesce(sum(orders) OVER (PARTITION BY customer_id, currency, livemode ORDER BY day
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
          FROM per_day
        )
        UPDATE snap_customer_orders c SET orders_before = running.before
        FROM running
        WHERE c.day > ${r.to}::date AND c.day = running.day AND c.customer_id = running.customer_id
          AND c.currency = running.currency AND c.livemode = running.livemode
          AND c.orders_before <> running.before
        RETURNING c.day::text AS day, c.currency, c.livemode`,
  );
  for (const d of new Map(changed.map((c) => [`${c.day}|${c.currency}|${c.livemode}`, c])).values()) {
    await db.execute(sql`
      UPDATE snap_daily_orders SET new_customers = (
        SELECT count(*) FROM snap_customer_orders c
        WHERE c.day = ${d.day}::date AND c.currency = ${d.currency} AND c.livemode = ${d.livemode} AND c.orders_before = 0)
      WHERE day = ${d.day}::date AND currency = ${d.currency} AND livemode = ${d.livemode}`);
  }
  return changed.length;
}
