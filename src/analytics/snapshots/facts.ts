import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

/** A range of reporting days and the instants that bound it. */
export interface DayRange {
  from: string;
  to: string;
  timezone: string;
  start: Date;
  end: Date;
}

export const rowCount = (result: unknown) =>
  Number(
    (result as { rowCount?: number; affectedRows?: number }).rowCount ??
      (result as { affectedRows?: number }).affectedRows ??
      0,
  );

/** Local reporting day of a timestamptz column, cut in the reporting zone. */
export const localDay = (column: string, tz: string) => sql`(${sql.raw(column)} AT TIME ZONE ${tz})::date`;

/** Daily money in and out per currency and mode: one pass over each ledger table. */
export async function buildLedger(db: Db, r: DayRange): Promise<number> {
  await db.execute(sql`DELETE FROM snap_daily_ledger WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  const result = await db.execute(sql`
    INSERT INTO snap_daily_ledger (day, currency, livemode, charges, gross_revenue, refunds, disputes, fees, fees_known)
    SELECT day, currency, livemode, sum(charges), sum(gross), sum(refunds), sum(disputes), sum(fees), sum(fees_known)
    FROM (
      SELECT ${localDay("created", r.timezone)} AS day, lower(currency) AS currency, livemode,
             count(*) AS charges, sum(amount) AS gross, 0 AS refunds, 0 AS disputes,
             coalesce(sum(fee), 0) AS fees, count(fee) AS fees_known
      FROM charges WHERE status = 'succeeded' AND created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay("created", r.timezone)}, lower(currency), livemode, 0, 0, sum(amount), 0, 0, 0
      FROM refunds WHERE status = 'succeeded' AND created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay("created", r.timezone)}, lower(currency), livemode, 0, 0, 0, sum(amount), 0, 0
      FROM disputes WHERE created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
    ) facts
    GROUP BY day, currency, livemode`);
  return rowCount(result);
}

/**
 * Per customer per day: paid orders, revenue and how many paid orders the customer had before that
 * day (same currency and mode), then the daily totals from those rows.
 */
export async function buildOrders(db: Db, r: DayRange): Promise<number> {
  await db.execute(sql`DELETE FROM snap_customer_orders WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  await db.execute(sql`DELETE FROM snap_daily_orders WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  // Orders before each day come from one window over the paid orders of the customers who ordered
  // in the range (set-based: an index probe per customer for a day, one scan for a year).
  const customers = await db.execute(sql`
    WITH scope AS (
      SELECT DISTINCT customer_id FROM orders WHERE paid_at >= ${r.start} AND paid_at < ${r.end}
    ), per_day AS (
      SELECT ${localDay("o.paid_at", r.timezone)} AS day, lower(o.currency) AS currency, o.livemode, o.customer_id,
             count(*) AS orders, sum(o.amount_total) AS revenue
      FROM orders o JOIN scope s ON s.customer_id = o.customer_id
      WHERE o.paid_at IS NOT NULL AND o.paid_at < ${r.end}
      GROUP BY 1, 2, 3, 4
    ), running AS (
      SELECT *, coalesce(sum(orders) OVER (PARTITION BY customer_id, currency, livemode ORDER BY day
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM per_day
    )
    INSERT INTO snap_customer_orders (day, currency, livemode, customer_id, orders, revenue, orders_before)
    SELECT day, currency, livemode, customer_id, orders, revenue, before FROM running
    WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  const daily = await db.execute(sql`
    INSERT INTO snap_daily_orders (day, currency, livemode, orders, order_revenue, customers, new_customers)
    SELECT day, currency, livemode, sum(orders), sum(revenue), count(*), count(*) FILTER (WHERE orders_before = 0)
    FROM snap_customer_orders WHERE day BETWEEN ${r.from}::date AND ${r.to}::date
    GROUP BY day, currency, livemode`);
  return rowCount(customers) + rowCount(daily);
}

/** Units, line revenue and known cost per product per day of paid orders. */
export async function buildProducts(db: Db, r: DayRange): Promise<number> {
  await db.execute(sql`DELETE FROM snap_daily_products WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  const result = await db.execute(sql`
    INSERT INTO snap_daily_products (day, currency, livemode, product_id, units, revenue, costed_revenue, cost, costed_lines)
    SELECT ${localDay("o.paid_at", r.timezone)}, lower(o.currency), o.livemode, l.product_id,
           sum(l.quantity), sum(l.amount_total),
           coalesce(sum(l.amount_total) FILTER (WHERE l.unit_cost_amount IS NOT NULL), 0),
           coalesce(sum(l.unit_cost_amount::bigint * l.quantity), 0),
           count(l.unit_cost_amount)
    FROM orders o JOIN order_lines l ON l.order_id = o.id
    WHERE o.paid_at >= ${r.start} AND o.paid_at < ${r.end}
    GROUP BY 1, 2, 3, 4`);
  return rowCount(result);
}
