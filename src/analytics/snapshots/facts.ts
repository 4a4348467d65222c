import { and, type Column, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { charges, disputes, orderLines, orders, refunds } from "../../db/schema.ts";
import { arrayOf, bare, bareList, queryRows } from "../../db/sql.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../money-rules.ts";
import {
  NO_GAP,
  snapCustomerGaps,
  snapCustomerOrders,
  snapDailyLedger,
  snapDailyOrders,
  snapDailyProducts,
} from "../schema.ts";

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

/** Local reporting day of a timestamptz column (or expression), cut in the reporting zone. */
export const localDay = (column: Column | SQL, tz: string) => sql`(${column} AT TIME ZONE ${tz})::date`;

/** Rows of a daily snapshot table whose day lies in the range. */
const daysIn = (day: Column, r: DayRange) => sql`${day} BETWEEN ${r.from}::date AND ${r.to}::date`;

/** A snapshot table keyed (livemode, currency, day, …). */
type DayKeyed = PgTable & { livemode: Column; currency: Column; day: Column };

/**
 * Deletes the range's rows of a table keyed (livemode, currency, day, …). A short range (the
 * worker's dirty days) deletes through the key, one statement per mode and currency the table holds
 * (found by skipping along the key), so a day of a table of millions of rows costs that day's rows,
 * not a read of every row for the day alone; a long range reads the table once.
 */
export async function deleteDays(db: Db, t: DayKeyed, r: DayRange): Promise<void> {
  if (!isShort(r)) {
    await db.delete(t).where(daysIn(t.day, r));
    return;
  }
  for (const { livemode, currency } of await keyPairs(db, t))
    await db.delete(t).where(and(eq(t.livemode, livemode), eq(t.currency, currency), daysIn(t.day, r)));
}

/**
 * Replaces the range's rows of a table keyed (livemode, currency, day, …) with `fresh` (its columns in
 * the order of `key` then `values`). A long range deletes and inserts; a short one (the worker's
 * dirty days) writes only the rows that differ, in one statement: those of `fresh` not stored alike
 * (inserted or updated), and the stored keys `fresh` lacks (deleted). A day that gained one order
 * then writes a row or three instead of every row of the day. Returns the rows written.
 */
export async function rewriteDays(
  db: Db,
  t: DayKeyed,
  columns: { key: Column[]; values: Column[] },
  fresh: SQL,
  r: DayRange,
): Promise<number> {
  const all = bareList(...columns.key, ...columns.values);
  if (!isShort(r)) {
    await deleteDays(db, t, r);
    return rowCount(await db.execute(sql`INSERT INTO ${t} (${all}) SELECT * FROM (${fresh}) fresh`));
  }
  const key = bareList(...columns.key);
  const pairs = JSON.stringify(await keyPairs(db, t));
  const [written] = await queryRows<{ rows: number }>(
    db,
    sql`WITH fresh AS MATERIALIZED (
          SELECT * FROM (${fresh}) f(${all})
        ), old AS MATERIALIZED (
          SELECT ${sql.join([...columns.key, ...columns.values], sql`, `)}
          FROM json_to_recordset(${pairs}::json) AS p(livemode boolean, currency text)
          JOIN ${t} ON ${t.livemode} = p.livemode AND ${t.currency} = p.currency AND ${daysIn(t.day, r)}
        ), gone AS (
          DELETE FROM ${t} USING (SELECT ${key} FROM old EXCEPT SELECT ${key} FROM fresh) g
          WHERE ${sql.join(
            columns.key.map((c) => sql`${c} = g.${bare(c)}`),
            sql` AND `,
          )}
          RETURNING 1
        ), put AS (
          INSERT INTO ${t} (${all}) SELECT * FROM (SELECT ${all} FROM fresh EXCEPT SELECT ${all} FROM old) c
          ON CONFLICT (${key}) DO UPDATE SET ${sql.join(
            columns.values.map((c) => sql`${bare(c)} = excluded.${bare(c)}`),
            sql`, `,
          )}
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone)::int + (SELECT count(*) FROM put)::int AS rows`,
  );
  return written!.rows;
}

/**
 * The modes and currencies a table keyed (livemode, currency, …) holds, found by skipping along its
 * key (one index probe per pair, not a read of the table).
 */
export async function keyPairs(db: Db, t: DayKeyed): Promise<Array<{ livemode: boolean; currency: string }>> {
  return queryRows(
    db,
    sql`WITH RECURSIVE pairs AS (
          (SELECT ${t.livemode} AS livemode, ${t.currency} AS currency FROM ${t} ORDER BY 1, 2 LIMIT 1)
          UNION ALL
          SELECT n.livemode, n.currency FROM pairs p CROSS JOIN LATERAL (
            SELECT ${t.livemode} AS livemode, ${t.currency} AS currency FROM ${t}
            WHERE (${t.livemode}, ${t.currency}) > (p.livemode, p.currency) ORDER BY 1, 2 LIMIT 1) n
        )
        SELECT livemode, currency FROM pairs`,
  );
}

/** Daily money in and out per currency and mode (kpis.md v2 rules): one pass over each ledger table. */
export async function buildLedger(db: Db, r: DayRange): Promise<number> {
  const l = snapDailyLedger;
  const tz = r.timezone;
  const created = (t: typeof charges | typeof refunds | typeof disputes) =>
    sql`${t.created} >= ${r.start} AND ${t.created} < ${r.end}`;
  await db.delete(l).where(daysIn(l.day, r));
  const result = await db.execute(sql`
    INSERT INTO ${l} (${bareList(l.day, l.currency, l.livemode, l.charges, l.grossRevenue, l.refunds, l.disputes, l.disputesLost, l.fees, l.feesKnown)})
    SELECT day, currency, livemode, sum(charges), sum(gross), sum(refunds), sum(disputes), sum(lost), sum(fees), sum(fees_known)
    FROM (
      SELECT ${localDay(charges.created, tz)} AS day, lower(${charges.currency}) AS currency, ${charges.livemode} AS livemode,
             count(*) AS charges, sum(${CAPTURED_AMOUNT}) AS gross, 0 AS refunds, 0 AS disputes, 0 AS lost,
             coalesce(sum(${charges.fee}), 0) AS fees, count(${charges.fee}) AS fees_known
      FROM ${charges} WHERE ${charges.status} = 'succeeded' AND ${created(charges)}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay(refunds.created, tz)}, lower(${refunds.currency}), ${refunds.livemode}, 0, 0, sum(${refunds.amount}), 0, 0, 0, 0
      FROM ${refunds} WHERE ${refunds.status} = 'succeeded' AND ${created(refunds)}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay(disputes.created, tz)}, lower(${disputes.currency}), ${disputes.livemode}, 0, 0, 0, sum(${disputes.amount}), 0, 0, 0
      FROM ${disputes} WHERE ${IS_CHARGEBACK} AND ${created(disputes)}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay(LOST_AT, tz)}, lower(${disputes.currency}), ${disputes.livemode}, 0, 0, 0, 0, sum(${disputes.amount}), 0, 0
      FROM ${disputes} WHERE ${disputes.status} = 'lost' AND ${LOST_AT} >= ${r.start} AND ${LOST_AT} < ${r.end}
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
export async function buildOrders(
  db: Db,
  r: DayRange,
  /** Snapshot rows lie outside the range: correct the range's customers' rows there too. */
  outside = false,
): Promise<{ rows: number; outsideDays: string[] }> {
  const c = snapCustomerOrders;
  const d = snapDailyOrders;
  const g = snapCustomerGaps;
  await deleteDays(db, c, r);
  await db.delete(d).where(daysIn(d.day, r));
  await db.delete(g).where(and(inArray(g.kind, ["reach", "single"]), daysIn(g.day, r)));
  // Every part a data-modifying CTE of one statement: the window is computed once for all of them.
  const changed = await queryRows<{ day: string }>(
    db,
    sql`
    WITH ${customerDays(r)}, in_range AS (
      SELECT * FROM running WHERE day BETWEEN ${r.from}::date AND ${r.to}::date
    ), customer_rows AS (
      INSERT INTO ${c} (${bareList(c.day, c.currency, c.livemode, c.customerId, c.orders, c.revenue, c.ordersBefore, c.prevGap, c.nextGap, c.firstDay)})
      SELECT day, currency, livemode, customer_id, orders, revenue, before, prev_gap, next_gap, first_day FROM in_range
      -- In key order: each index insert lands next to the previous one.
      ORDER BY livemode, currency, day, customer_id
    ), gap_rows AS (
      ${insertGapRows(sql`(SELECT livemode, currency, day, orders, prev_gap, next_gap, before AS orders_before FROM in_range)`)}
    ), daily_rows AS (
      INSERT INTO ${d} (${bareList(d.day, d.currency, d.livemode, d.orders, d.orderRevenue, d.customers, d.newCustomers)})
      SELECT day, currency, livemode, sum(orders), sum(revenue), count(*), count(*) FILTER (WHERE before = 0)
      FROM in_range GROUP BY day, currency, livemode
    )${outside ? sql`, ${updateOutsideRows(r)}` : sql``}
    ${outside ? sql`SELECT DISTINCT day::text AS day FROM outside_updated ORDER BY 1` : sql`SELECT NULL::text AS day WHERE false`}`,
  );
  // The daily rows are one per day, currency and mode; the customer rows as many as the daily customers.
  const [daily] = await db
    .select({ rows: sql<number>`(count(*) + coalesce(sum(${d.customers}), 0))::bigint` })
    .from(d)
    .where(daysIn(d.day, r));
  return { rows: Number(daily?.rows ?? 0), outsideDays: changed.map((row) => row.day) };
}

/**
 * A CTE `outside_updated` for the orders stage's statement (after `running`): the customer-day rows
 * outside the range of the range's customers set to what the window says, only where a value
 * changes (a late order moves the orders before every later day, the gaps of the neighbouring
 * days and, when it is the customer's first, the first day of every later row); it returns their days.
 */
function updateOutsideRows(r: DayRange): SQL {
  const c = snapCustomerOrders;
  return sql`outside_updated AS (
      UPDATE ${c}
      SET ${bare(c.ordersBefore)} = running.before, ${bare(c.prevGap)} = running.prev_gap,
          ${bare(c.nextGap)} = running.next_gap, ${bare(c.firstDay)} = running.first_day
      FROM running
      WHERE (${c.day} < ${r.from}::date OR ${c.day} > ${r.to}::date)
        AND ${c.day} = running.day AND ${c.customerId} = running.customer_id
        AND ${c.currency} = running.currency AND ${c.livemode} = running.livemode
        AND (${c.ordersBefore}, ${c.prevGap}, ${c.nextGap}, ${c.firstDay})
            IS DISTINCT FROM (running.before, running.prev_gap, running.next_gap, running.first_day)
      RETURNING ${c.day}
    )`;
}

/**
 * Writes the `reach` and `single` gap counts of customer-day rows (columns livemode, currency, day,
 * orders, orders_before, prev_gap, next_gap): per day and gap, how many rows have at least that gap.
 */
export function insertGapRows(rows: SQL) {
  const g = snapCustomerGaps;
  return sql`INSERT INTO ${g} (${bareList(g.livemode, g.currency, g.kind, g.day, g.gap, g.customers)})
    SELECT livemode, currency, kind, day, gap,
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
 * CTEs `scope` (customers with a paid order in the range, or the `customers` given) and `running`:
 * every day with a paid order of those customers, ever, with orders before it, the gaps to the
 * neighbouring days and the customer's first day.
 */
export function customerDays(r: DayRange, customers?: number[]) {
  // A short range (the worker's dirty days) or a list has few customers: fetch their orders through
  // the customer index (an array the planner probes one by one) instead of joining every order.
  const ofScope =
    customers !== undefined || isShort(r)
      ? sql`${orders.customerId} = ANY(ARRAY(SELECT customer_id FROM scope))`
      : sql`${orders.customerId} IN (SELECT customer_id FROM scope)`;
  const scope =
    customers !== undefined
      ? sql`SELECT unnest(${arrayOf("int", customers)}) AS customer_id`
      : sql`SELECT DISTINCT ${orders.customerId} AS customer_id FROM ${orders}
      WHERE ${orders.paidAt} >= ${r.start} AND ${orders.paidAt} < ${r.end}`;
  return sql`scope AS (
      ${scope}
    ), per_day AS (
      SELECT ${localDay(orders.paidAt, r.timezone)} AS day, lower(${orders.currency}) AS currency,
             ${orders.livemode} AS livemode, ${orders.customerId} AS customer_id,
             count(*) AS orders, sum(${orders.amountTotal}) AS revenue
      FROM ${orders}
      WHERE ${orders.paidAt} IS NOT NULL AND ${ofScope}
      GROUP BY 1, 2, 3, 4
    ), running AS (
      SELECT *,
             coalesce(sum(orders) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
             coalesce(day - lag(day) OVER w, ${NO_GAP}) AS prev_gap,
             coalesce(lead(day) OVER w - day, ${NO_GAP}) AS next_gap,
             first_value(day) OVER w AS first_day
      FROM per_day
      WINDOW w AS (PARTITION BY customer_id, currency, livemode ORDER BY day)
    )`;
}

/** Ranges of at most this many days read their customers' orders through the customer index. */
const SHORT_RANGE_DAYS = 31;

function isShort(r: DayRange): boolean {
  return (
    (Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000 < SHORT_RANGE_DAYS
  );
}

/** Units, line revenue and known cost per product per day of paid orders. */
export async function buildProducts(db: Db, r: DayRange): Promise<number> {
  const p = snapDailyProducts;
  const l = orderLines;
  await deleteDays(db, p, r);
  const result = await db.execute(sql`
    INSERT INTO ${p} (${bareList(p.day, p.currency, p.livemode, p.productId, p.units, p.revenue, p.costedRevenue, p.cost, p.costedLines)})
    SELECT ${localDay(orders.paidAt, r.timezone)}, lower(${orders.currency}), ${orders.livemode}, ${l.productId},
           sum(${l.quantity}), sum(${l.amountTotal}),
           coalesce(sum(${l.amountTotal}) FILTER (WHERE ${l.unitCostAmount} IS NOT NULL), 0),
           coalesce(sum(${l.unitCostAmount}::bigint * ${l.quantity}), 0),
           count(${l.unitCostAmount})
    FROM ${orders} JOIN ${l} ON ${l.orderId} = ${orders.id}
    WHERE ${orders.paidAt} >= ${r.start} AND ${orders.paidAt} < ${r.end}
    GROUP BY 1, 2, 3, 4`);
  return rowCount(result);
}
