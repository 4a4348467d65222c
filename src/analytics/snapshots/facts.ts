import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT, LOST_AT_COLUMN } from "../money-rules.ts";
import { NO_GAP } from "../schema.ts";

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

/** Daily money in and out per currency and mode (kpis.md v2 rules): one pass over each ledger table. */
export async function buildLedger(db: Db, r: DayRange): Promise<number> {
  await db.execute(sql`DELETE FROM snap_daily_ledger WHERE day BETWEEN ${r.from}::date AND ${r.to}::date`);
  const result = await db.execute(sql`
    INSERT INTO snap_daily_ledger (day, currency, livemode, charges, gross_revenue, refunds, disputes, disputes_lost, fees, fees_known)
    SELECT day, currency, livemode, sum(charges), sum(gross), sum(refunds), sum(disputes), sum(lost), sum(fees), sum(fees_known)
    FROM (
      SELECT ${localDay("created", r.timezone)} AS day, lower(currency) AS currency, livemode,
             count(*) AS charges, sum(${CAPTURED_AMOUNT}) AS gross, 0 AS refunds, 0 AS disputes, 0 AS lost,
             coalesce(sum(fee), 0) AS fees, count(fee) AS fees_known
      FROM charges WHERE status = 'succeeded' AND created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay("created", r.timezone)}, lower(currency), livemode, 0, 0, sum(amount), 0, 0, 0, 0
      FROM refunds WHERE status = 'succeeded' AND created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay("created", r.timezone)}, lower(currency), livemode, 0, 0, 0, sum(amount), 0, 0, 0
      FROM disputes WHERE ${IS_CHARGEBACK} AND created >= ${r.start} AND created < ${r.end}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay(LOST_AT_COLUMN, r.timezone)}, lower(currency), livemode, 0, 0, 0, 0, sum(amount), 0, 0
      FROM disputes WHERE status = 'lost' AND ${LOST_AT} >= ${r.start} AND ${LOST_AT} < ${r.end}
      GROUP BY 1, 2, 3
    ) facts
    GROUP BY day, currency, livemode`);
  return rowCount(result);
}

/**
 * Per customer per day: paid orders, revenue, how many paid orders the customer had before that
 * day and the gaps to their previous and next day with a paid order (same currency and mode); from
 * the same rows, the day's gap counts (`snapCustomerGaps`, kinds `reach` and `single`) and daily
 * totals. One set-based statement: one window over the paid orders of the customers who ordered in
 * the range, written to the three tables.
 */
export async function buildOrders(db: Db, r: DayRange): Promise<number> {
  const range = sql`day BETWEEN ${r.from}::date AND ${r.to}::date`;
  await db.execute(sql`DELETE FROM snap_customer_orders WHERE ${range}`);
  await db.execute(sql`DELETE FROM snap_daily_orders WHERE ${range}`);
  await db.execute(sql`DELETE FROM snap_customer_gaps WHERE kind IN ('reach', 'single') AND ${range}`);
  const result = await db.execute(sql`
    WITH ${customerDays(r)}, in_range AS (
      SELECT * FROM running WHERE ${range}
    ), customer_rows AS (
      INSERT INTO snap_customer_orders (day, currency, livemode, customer_id, orders, revenue, orders_before, prev_gap, next_gap)
      SELECT day, currency, livemode, customer_id, orders, revenue, before, prev_gap, next_gap FROM in_range
    ), gap_rows AS (
      INSERT INTO snap_customer_gaps (livemode, currency, kind, day, gap, customers)
      ${gapRows(sql`(SELECT livemode, currency, day, orders, prev_gap, next_gap, before AS orders_before FROM in_range)`)}
    )
    INSERT INTO snap_daily_orders (day, currency, livemode, orders, order_revenue, customers, new_customers)
    SELECT day, currency, livemode, sum(orders), sum(revenue), count(*), count(*) FILTER (WHERE before = 0)
    FROM in_range GROUP BY day, currency, livemode`);
  // The daily rows are one per day, currency and mode; the customer rows as many as the daily customers.
  const daily = await queryOne<{ rows: number | string }>(
    db,
    sql`SELECT coalesce(sum(customers), 0) AS rows FROM snap_daily_orders WHERE ${range}`,
  );
  return rowCount(result) + Number(daily?.rows ?? 0);
}

/**
 * The `reach` and `single` gap counts of customer-day rows (columns livemode, currency, day,
 * orders, orders_before, prev_gap, next_gap): per day and gap, how many rows have at least that gap.
 */
export function gapRows(rows: SQL) {
  return sql`SELECT livemode, currency, kind, day, gap,
           sum(n) OVER (PARTITION BY livemode, currency, kind, day ORDER BY gap DESC)
    FROM (
      SELECT livemode, currency, 'reach' AS kind, day, prev_gap AS gap, count(*) AS n
      FROM ${rows} r GROUP BY livemode, currency, day, prev_gap
      UNION ALL
      SELECT livemode, currency, 'single', day, next_gap, count(*)
      FROM ${rows} r WHERE orders_before = 0 AND orders = 1
      GROUP BY livemode, currency, day, next_gap
    ) g`;
}

/**
 * CTEs `scope` (customers with a paid order in the range) and `running`: every day with a paid
 * order of those customers, ever, with orders before it and the gaps to the neighbouring days.
 */
export function customerDays(r: DayRange) {
  return sql`scope AS (
      SELECT DISTINCT customer_id FROM orders WHERE paid_at >= ${r.start} AND paid_at < ${r.end}
    ), per_day AS (
      SELECT ${localDay("o.paid_at", r.timezone)} AS day, lower(o.currency) AS currency, o.livemode, o.customer_id,
             count(*) AS orders, sum(o.amount_total) AS revenue
      FROM orders o JOIN scope s ON s.customer_id = o.customer_id
      WHERE o.paid_at IS NOT NULL
      GROUP BY 1, 2, 3, 4
    ), running AS (
      SELECT *,
             coalesce(sum(orders) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
             coalesce(day - lag(day) OVER w, ${NO_GAP}) AS prev_gap,
             coalesce(lead(day) OVER w - day, ${NO_GAP}) AS next_gap
      FROM per_day
      WINDOW w AS (PARTITION BY customer_id, currency, livemode ORDER BY day)
    )`;
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
