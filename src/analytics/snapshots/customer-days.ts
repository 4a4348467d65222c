import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { orders } from "../../db/schema.ts";
import { arrayOf, bare, bareList, queryOne } from "../../db/sql.ts";
import { dirtyDays, snapCohorts, snapCustomerGaps, snapCustomerOrders, snapDailyOrders } from "../schema.ts";
import { builtInZone, customerDays, type DayRange, keyPairs, localDay } from "./facts.ts";

/**
 * Above this many customers a dirty range is rebuilt whole: their rows are then read by a pass over
 * the customer-day table rather than through the key (at 1,000,000 orders, 400 customers' rows took
 * about what the whole day takes, 200 customers' well under it).
 */
export const MAX_CUSTOMERS_ONLY = 200;

/**
 * Whether a rebuild of `r` may recompute the customer-day rows of these customers only (the
 * customers whose paid orders changed, at most `MAX_CUSTOMERS_ONLY`) and leave every other
 * customer's: each day of the range, and each day with a paid order of these customers, was built
 * in the range's zone. The other customers' rows of those days are then what a rebuild would write
 * again, and the day totals, gap counts and cohorts hold exactly those rows.
 */
export async function customersOnly(db: Db, r: DayRange, customers: number[]): Promise<boolean> {
  if (customers.length > MAX_CUSTOMERS_ONLY) return false;
  return builtInZone(
    db,
    r,
    sql`SELECT ${localDay(orders.paidAt, r.timezone)} FROM ${orders}
        WHERE ${orders.customerId} = ANY(${arrayOf("int", customers)}) AND ${orders.paidAt} IS NOT NULL`,
  );
}

/**
 * The orders and cohorts stages for a few customers (see `customersOnly`), in one statement whose
 * cost follows those customers' orders, not the day's: their customer-day rows are recomputed from
 * their paid orders (every day of the range, and the days outside it where they have a row), and the
 * day totals, gap counts and cohort cells of the days and months those rows lie in are adjusted by
 * the difference between the rows before and after. Every other customer's rows, and what they
 * count, stay. Returns the customer-day rows written or removed.
 */
export async function rebuildCustomerDays(db: Db, r: DayRange, customers: number[]): Promise<number> {
  if (customers.length === 0) return 0;
  const c = snapCustomerOrders;
  const d = snapDailyOrders;
  const g = snapCustomerGaps;
  const k = snapCohorts;
  const pairs = await keyPairs(db, c);
  const row = await queryOne<{ rows: number }>(
    db,
    sql`
    WITH ${customerDays(r, customers)}, candidates AS (
      -- Where their rows can be: each day they have a paid order on, and, in each mode and currency
      -- the table holds, each day a mark names them on (a row there may have lost its orders, and a
      -- day of a later range is not rebuilt yet) or a mark does not say whose orders changed. Every
      -- row of theirs is found: the cohort cells count a customer once over all their rows.
      SELECT livemode, currency, day, customer_id FROM running
      UNION
      SELECT p.livemode, p.currency, m.day, m.customer_id
      FROM json_to_recordset(${JSON.stringify(pairs)}::json) AS p(livemode boolean, currency text)
      CROSS JOIN (
        SELECT named.day, named.customer_id
        FROM (SELECT ${dirtyDays.day} AS day, unnest(${dirtyDays.paidOrdersOf}) AS customer_id FROM ${dirtyDays}
              WHERE ${dirtyDays.paidOrdersOf} && ${arrayOf("int", customers)}) named
        WHERE named.customer_id = ANY(${arrayOf("int", customers)})
        UNION
        SELECT d.day, s.customer_id
        FROM (SELECT DISTINCT ${dirtyDays.day} AS day FROM ${dirtyDays} WHERE ${dirtyDays.paidOrdersOf} IS NULL) d
        CROSS JOIN scope s
      ) m
    ), before_rows AS (
      -- The customers' rows as they stand, found through the key.
      SELECT c.day, c.currency, c.livemode, c.customer_id, c.orders, c.revenue, c.orders_before,
             c.prev_gap, c.next_gap, c.first_day
      FROM candidates x JOIN ${c} c
        ON c.livemode = x.livemode AND c.currency = x.currency AND c.day = x.day AND c.customer_id = x.customer_id
    ), after_rows AS (
      -- What a rebuild of the range writes for them: the range's rows, and the outside rows it corrects.
      SELECT n.day, n.currency, n.livemode, n.customer_id, n.orders, n.revenue, n.before AS orders_before,
             n.prev_gap, n.next_gap, n.first_day
      FROM running n
      WHERE n.day BETWEEN ${r.from}::date AND ${r.to}::date
         OR EXISTS (SELECT 1 FROM before_rows o WHERE o.livemode = n.livemode AND o.currency = n.currency
                      AND o.day = n.day AND o.customer_id = n.customer_id)
    ), signed AS (
      SELECT *, 1 AS sign FROM after_rows UNION ALL SELECT *, -1 FROM before_rows
    ), removed AS (
      -- Rows before and none after (grouped, not an anti join: one pass whatever the customers).
      DELETE FROM ${c} c
      USING (SELECT livemode, currency, day, customer_id FROM signed
             GROUP BY livemode, currency, day, customer_id HAVING max(sign) < 0) o
      WHERE c.livemode = o.livemode AND c.currency = o.currency AND c.day = o.day AND c.customer_id = o.customer_id
      RETURNING 1
    ), written AS (
      INSERT INTO ${c} AS c (${bareList(c.day, c.currency, c.livemode, c.customerId, c.orders, c.revenue, c.ordersBefore, c.prevGap, c.nextGap, c.firstDay)})
      SELECT * FROM after_rows
      ON CONFLICT (${bareList(c.livemode, c.currency, c.day, c.customerId)}) DO UPDATE
      SET ${bare(c.orders)} = excluded.orders, ${bare(c.revenue)} = excluded.revenue,
          ${bare(c.ordersBefore)} = excluded.orders_before, ${bare(c.prevGap)} = excluded.prev_gap,
          ${bare(c.nextGap)} = excluded.next_gap, ${bare(c.firstDay)} = excluded.first_day
      WHERE (c.orders, c.revenue, c.orders_before, c.prev_gap, c.next_gap, c.first_day)
            IS DISTINCT FROM (excluded.orders, excluded.revenue, excluded.orders_before, excluded.prev_gap,
                              excluded.next_gap, excluded.first_day)
      RETURNING 1
    ), daily AS (
      -- Each touched day's totals plus the difference (kept where a customer remains).
      SELECT x.day, x.currency, x.livemode,
             coalesce(t.orders, 0) + x.orders AS orders, coalesce(t.order_revenue, 0) + x.revenue AS revenue,
             coalesce(t.customers, 0) + x.customers AS customers,
             coalesce(t.new_customers, 0) + x.new_customers AS new_customers
      FROM (
        SELECT day, currency, livemode, sum(sign * orders) AS orders, sum(sign * revenue) AS revenue,
               sum(sign) AS customers, coalesce(sum(sign) FILTER (WHERE orders_before = 0), 0) AS new_customers
        FROM signed GROUP BY day, currency, livemode
      ) x
      LEFT JOIN ${d} t ON t.livemode = x.livemode AND t.currency = x.currency AND t.day = x.day
    ), daily_removed AS (
      DELETE FROM ${d} t USING daily x
      WHERE t.livemode = x.livemode AND t.currency = x.currency AND t.day = x.day AND x.customers = 0
    ), daily_written AS (
      INSERT INTO ${d} AS t (${bareList(d.day, d.currency, d.livemode, d.orders, d.orderRevenue, d.customers, d.newCustomers)})
      SELECT * FROM daily WHERE customers > 0
      ON CONFLICT (${bareList(d.livemode, d.currency, d.day)}) DO UPDATE
      SET ${bare(d.orders)} = excluded.orders, ${bare(d.orderRevenue)} = excluded.order_revenue,
          ${bare(d.customers)} = excluded.customers, ${bare(d.newCustomers)} = excluded.new_customers
    ), gap_change AS (
      -- The reach and single gaps (see snapCustomerGaps) the rows add and take away, per day and gap.
      SELECT livemode, currency, kind, day, gap, sum(sign) AS n
      FROM (
        SELECT livemode, currency, 'reach' AS kind, day, prev_gap AS gap, sign FROM signed
        UNION ALL
        SELECT livemode, currency, 'single', day, next_gap, sign FROM signed WHERE orders_before = 0 AND orders = 1
      ) x
      GROUP BY 1, 2, 3, 4, 5
    ), gap_counts AS (
      -- Per touched day and kind, how many rows have each gap exactly: the stored "at least" counts
      -- taken apart, plus the change.
      SELECT livemode, currency, kind, day, gap, sum(n) AS n
      FROM (
        SELECT s.livemode, s.currency, s.kind, s.day, s.gap,
               s.customers - coalesce(lead(s.customers) OVER (PARTITION BY s.livemode, s.currency, s.kind, s.day ORDER BY s.gap), 0) AS n
        FROM (SELECT DISTINCT livemode, currency, kind, day FROM gap_change) x
        JOIN ${g} s ON s.livemode = x.livemode AND s.currency = x.currency AND s.kind = x.kind AND s.day = x.day
        UNION ALL
        SELECT * FROM gap_change
      ) x
      GROUP BY 1, 2, 3, 4, 5
    ), gaps_removed AS (
      DELETE FROM ${g} s USING gap_counts x
      WHERE s.livemode = x.livemode AND s.currency = x.currency AND s.kind = x.kind AND s.day = x.day
        AND s.gap = x.gap AND x.n <= 0
    ), gaps_written AS (
      INSERT INTO ${g} AS s (${bareList(g.livemode, g.currency, g.kind, g.day, g.gap, g.customers)})
      SELECT livemode, currency, kind, day, gap,
             sum(n) OVER (PARTITION BY livemode, currency, kind, day ORDER BY gap DESC)
      FROM gap_counts WHERE n > 0
      ON CONFLICT (${bareList(g.livemode, g.currency, g.kind, g.day, g.gap)}) DO UPDATE
      SET ${bare(g.customers)} = excluded.customers WHERE s.customers <> excluded.customers
    ), cohort_change AS (
      -- A customer counts once per cohort and month they are active in: cells before and after.
      SELECT livemode, currency, to_char(cohort, 'YYYY-MM') AS cohort_month, to_char(month, 'YYYY-MM') AS activity_month,
             (extract(year FROM month)::int * 12 + extract(month FROM month)::int)
               - (extract(year FROM cohort)::int * 12 + extract(month FROM cohort)::int) AS month_index,
             sum(sign) AS n
      FROM (
        SELECT DISTINCT livemode, currency, customer_id, sign, date_trunc('month', day::timestamp) AS month,
               date_trunc('month', first_day::timestamp) AS cohort
        FROM signed
      ) x
      GROUP BY livemode, currency, cohort, month
      HAVING sum(sign) <> 0
    ), cohorts AS (
      SELECT x.livemode, x.currency, x.cohort_month, x.activity_month, x.month_index,
             coalesce(h.customers, 0) + x.n AS customers
      FROM cohort_change x
      LEFT JOIN ${k} h ON h.livemode = x.livemode AND h.currency = x.currency
        AND h.cohort_month = x.cohort_month AND h.activity_month = x.activity_month
    ), cohorts_removed AS (
      DELETE FROM ${k} h USING cohorts x
      WHERE h.livemode = x.livemode AND h.currency = x.currency AND h.cohort_month = x.cohort_month
        AND h.activity_month = x.activity_month AND x.customers = 0
    ), cohorts_written AS (
      INSERT INTO ${k} AS h (${bareList(k.livemode, k.currency, k.cohortMonth, k.activityMonth, k.monthIndex, k.customers)})
      SELECT * FROM cohorts WHERE customers > 0
      ON CONFLICT (${bareList(k.livemode, k.currency, k.cohortMonth, k.activityMonth)}) DO UPDATE
      SET ${bare(k.customers)} = excluded.customers
    )
    SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM removed) AS rows`,
  );
  return Number(row?.rows ?? 0);
}
