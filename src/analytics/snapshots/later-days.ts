import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { customerDays, type DayRange, gapRows, rowCount } from "./facts.ts";

/**
 * A paid order that lands in the range late (its `paid_at` in the past) changes, for its customer,
 * the orders before every later day and the gaps of the neighbouring days, which may lie outside
 * the range. When snapshot rows exist outside the range, correct those of the customers concerned
 * from the raw orders (only rows whose values change are written), then the new-customer counts of
 * the days that changed, so a rebuild of only the dirty days still equals the raw path. Returns the
 * days outside the range whose rows changed.
 */
export async function refreshOutsideCustomerRows(db: Db, r: DayRange): Promise<string[]> {
  // Any customer-day row has its daily row: the small table answers whether any lie outside.
  const outside = await queryOne(
    db,
    sql`SELECT 1 AS x FROM snap_daily_orders WHERE day < ${r.from}::date OR day > ${r.to}::date LIMIT 1`,
  );
  if (!outside) return [];
  const changed = await queryRows<{ day: string }>(
    db,
    sql`WITH ${customerDays(r)}, updated AS (
          UPDATE snap_customer_orders c
          SET orders_before = running.before, prev_gap = running.prev_gap, next_gap = running.next_gap
          FROM running
          WHERE (c.day < ${r.from}::date OR c.day > ${r.to}::date)
            AND c.day = running.day AND c.customer_id = running.customer_id
            AND c.currency = running.currency AND c.livemode = running.livemode
            AND (c.orders_before, c.prev_gap, c.next_gap) IS DISTINCT FROM (running.before, running.prev_gap, running.next_gap)
          RETURNING c.day
        )
        SELECT DISTINCT day::text AS day FROM updated ORDER BY 1`,
  );
  const days = changed.map((c) => c.day);
  if (days.length > 0) {
    await db.execute(sql`
      UPDATE snap_daily_orders d SET new_customers = n.new_customers
      FROM (SELECT day, currency, livemode, count(*) FILTER (WHERE orders_before = 0) AS new_customers
            FROM snap_customer_orders WHERE day = ANY(${`{${days.join(",")}}`}::date[])
            GROUP BY day, currency, livemode) n
      WHERE d.day = n.day AND d.currency = n.currency AND d.livemode = n.livemode
        AND d.new_customers <> n.new_customers`);
  }
  return days;
}

/** The `reach` and `single` gap counts (see `snapCustomerGaps`) of days outside the range whose rows changed. */
export async function buildOutsideGaps(db: Db, days: string[]): Promise<number> {
  if (days.length === 0) return 0;
  const changed = sql`day = ANY(${`{${days.join(",")}}`}::date[])`;
  await db.execute(sql`DELETE FROM snap_customer_gaps WHERE kind IN ('reach', 'single') AND ${changed}`);
  const result = await db.execute(sql`
    INSERT INTO snap_customer_gaps (livemode, currency, kind, day, gap, customers)
    ${gapRows(sql`(SELECT * FROM snap_customer_orders WHERE ${changed})`)}`);
  return rowCount(result);
}
