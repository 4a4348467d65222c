import { and, type Column, inArray, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { orderLines, orders } from "../../db/schema.ts";
import { arrayOf, bare, bareList, queryRows } from "../../db/sql.ts";
import type { AmountKind } from "../converted/amounts.ts";
import { snapDailyAmounts } from "../converted/schema.ts";
import {
  NO_GAP,
  snapBuiltDays,
  snapCustomerGaps,
  snapCustomerOrders,
  snapDailyLedger,
  snapDailyOrders,
  snapDailyProducts,
  snapPending,
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

/** A snapshot table's columns: its key (first the mode, never null) and the values it keeps per key. */
export interface KeyedColumns {
  key: Column[];
  values: Column[];
}

/**
 * CTEs `<name>_diff`, `<name>_gone` and `<name>_put` that make `t`'s stored rows `old` equal to the
 * CTE `<name>` (its columns named as `t`'s, key then values): `_diff` pairs the two by key (a full
 * join, which spills to disk when large, unlike a hashed EXCEPT) and keeps the keys only one side
 * has or whose values differ; `_gone` deletes the stored keys the fresh rows lack; `_put` inserts
 * the new keys and updates the changed ones. Rows alike are not written. With `old` null (nothing
 * stored), `_put` inserts every row. `written(name)` counts the rows written. Part of one
 * statement: every CTE sees the rows as they were before it.
 */
export function writeDifferences(t: PgTable, columns: KeyedColumns, name: string, old: SQL | null): SQL {
  const { key, values } = columns;
  const fresh = sql.identifier(name);
  const id = (suffix: string) => sql.identifier(`${name}_${suffix}`);
  if (old === null)
    // Nothing stored: every row is new, inserted without pairing or conflict handling (in the order
    // the rows come: sorting a year's 930,000 customer-day rows by key first cost 1.2 s more than it
    // saved on the index at 1,000,000 orders).
    return sql`${id("gone")} AS (SELECT 1 WHERE false), ${id("put")} AS (
      INSERT INTO ${t} (${bareList(...key, ...values)})
      SELECT ${bareList(...key, ...values)} FROM ${fresh}
      RETURNING 1
    )`;
  const on = (a: string, b: string) =>
    sql.join(
      key.map((c) => sql`${sql.identifier(a)}.${bare(c)} = ${sql.identifier(b)}.${bare(c)}`),
      sql` AND `,
    );
  const of = (alias: string, cs: Column[]) =>
    sql.join(
      cs.map((c) => sql`${sql.identifier(alias)}.${bare(c)}`),
      sql`, `,
    );
  return sql`${id("diff")} AS MATERIALIZED (
      SELECT f.${bare(key[0]!)} IS NULL AS gone,
             ${sql.join(
               key.map((c) => sql`coalesce(f.${bare(c)}, o.${bare(c)}) AS ${bare(c)}`),
               sql`, `,
             )},
             ${of("f", values)}
      FROM ${fresh} f FULL JOIN (${old}) o ON ${on("f", "o")}
      WHERE f.${bare(key[0]!)} IS NULL OR o.${bare(key[0]!)} IS NULL
         OR (${of("f", values)}) IS DISTINCT FROM (${of("o", values)})
    ), ${id("gone")} AS (
      DELETE FROM ${t} USING ${id("diff")} d WHERE d.gone AND ${sql.join(
        key.map((c) => sql`${c} = d.${bare(c)}`),
        sql` AND `,
      )}
      RETURNING 1
    ), ${id("put")} AS (
      INSERT INTO ${t} (${bareList(...key, ...values)})
      SELECT ${bareList(...key, ...values)} FROM ${id("diff")} WHERE NOT gone
      ON CONFLICT (${bareList(...key)}) DO UPDATE SET ${sql.join(
        values.map((c) => sql`${bare(c)} = excluded.${bare(c)}`),
        sql`, `,
      )}
      RETURNING 1
    )`;
}

/** The rows `writeDifferences` wrote under `name`, as an int expression. */
export const written = (name: string) =>
  sql`((SELECT count(*) FROM ${sql.identifier(`${name}_gone`)}) + (SELECT count(*) FROM ${sql.identifier(`${name}_put`)}))::int`;

/** A mode and currency a table keyed (livemode, currency, …) holds (see `keyPairs`). */
type KeyPair = { livemode: boolean; currency: string };

const pairsOf = (pairs: KeyPair[]) =>
  sql`json_to_recordset(${JSON.stringify(pairs)}::json) AS p(livemode boolean, currency text)`;

const ofPair = (t: DayKeyed, r: DayRange) =>
  sql`${t.livemode} = p.livemode AND ${t.currency} = p.currency AND ${daysIn(t.day, r)}`;

/**
 * A read of the range's rows of a table keyed (livemode, currency, day, …), its key and value
 * columns: a short range (the worker's dirty days) through the key, for each of the table's `pairs`
 * (a day of a table of millions of rows costs that day's rows); a long one by a scan.
 */
export function daysOf(t: DayKeyed, columns: KeyedColumns, r: DayRange, pairs: KeyPair[]): SQL {
  const all = sql.join([...columns.key, ...columns.values], sql`, `);
  if (!isShort(r)) return sql`SELECT ${all} FROM ${t} WHERE ${daysIn(t.day, r)}`;
  return sql`SELECT ${all} FROM ${pairsOf(pairs)} JOIN ${t} ON ${ofPair(t, r)}`;
}

/**
 * `daysOf` the table, or null when it holds no row in the range (probed through the key for each
 * mode and currency it holds).
 */
export async function storedDays(
  db: Db,
  t: DayKeyed,
  columns: KeyedColumns,
  r: DayRange,
): Promise<SQL | null> {
  const pairs = await keyPairs(db, t);
  const [any] = await queryRows<{ stored: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM ${pairsOf(pairs)} WHERE EXISTS (SELECT 1 FROM ${t} WHERE ${ofPair(t, r)})) AS stored`,
  );
  return any?.stored ? daysOf(t, columns, r, pairs) : null;
}

/**
 * Replaces the range's rows of a table keyed (livemode, currency, day, …) with `fresh` (its columns in
 * the order of `key` then `values`), writing only the rows that differ, in one statement: those of
 * `fresh` not stored alike (inserted or updated), and the stored keys `fresh` lacks (deleted). A day
 * that gained one order writes a row or three instead of every row of the day; a rebuild of a year
 * that changed nothing writes nothing (a delete and insert of the same keys paid a heap visit per
 * row to check the deleted entry of each key, 4 of the 6 s of a year's amount counts). Returns the
 * rows written.
 */
export async function rewriteDays(
  db: Db,
  t: DayKeyed,
  columns: KeyedColumns,
  fresh: SQL,
  r: DayRange,
  /** The table's records waiting to be added (`snapPending`): counted here, so taken here. */
  pending?: PendingTarget,
): Promise<number> {
  const all = bareList(...columns.key, ...columns.values);
  const [result] = await queryRows<{ rows: number }>(
    db,
    sql`WITH ${pending ? sql`${takePending(pending, r)}, ` : sql``}fresh AS MATERIALIZED (
          SELECT * FROM (${fresh}) f(${all})
        ), ${writeDifferences(t, columns, "fresh", await storedDays(db, t, columns, r))}
        SELECT ${written("fresh")} AS rows`,
  );
  return result!.rows;
}

/** The counts `snapPending` rows wait for. */
export type PendingTarget = "products" | "amounts";

/**
 * A CTE `taken` (`order_id`, `charge_id`): the pending rows of `target` whose instant lies in the
 * range, deleted. The statement that counts the range's records takes them: it sees, in its one
 * snapshot, exactly the arrivals whose rows it deletes (a row commits with its record), so a record
 * is counted either by it or, when it arrives after that snapshot, by a later statement, never twice.
 */
export function takePending(target: PendingTarget, r: DayRange): SQL {
  const p = snapPending;
  return sql`taken AS (
      DELETE FROM ${p} WHERE ${p.target} = ${target} AND ${p.at} >= ${r.start} AND ${p.at} < ${r.end}
      RETURNING ${p.orderId} AS order_id, ${p.chargeId} AS charge_id
    )`;
}

/**
 * Adds the range's arrivals of `target` to its stored counts, in one statement: `counts` (columns
 * in the order of `key` then `values`, every value a sum or a count) reads only the records of the
 * CTE `taken`, and each key's values are added to the stored ones (a key not stored is inserted).
 * What a dirty day marked with arrivals only costs: the new records, not the day. Only for days
 * built in the range's zone (`builtInZone`), whose counts hold every record but the pending ones.
 * Returns the rows written.
 */
export async function addArrivals(
  db: Db,
  t: DayKeyed,
  columns: KeyedColumns,
  counts: SQL,
  target: PendingTarget,
  r: DayRange,
): Promise<number> {
  const { key, values } = columns;
  const [result] = await queryRows<{ rows: number }>(
    db,
    sql`WITH ${takePending(target, r)}, added AS (
          INSERT INTO ${t} (${bareList(...key, ...values)})
          SELECT * FROM (${counts}) f
          ON CONFLICT (${bareList(...key)}) DO UPDATE SET ${sql.join(
            values.map((c) => sql`${bare(c)} = ${c} + excluded.${bare(c)}`),
            sql`, `,
          )}
          RETURNING 1
        )
        SELECT count(*)::int AS rows FROM added`,
  );
  return result!.rows;
}

/**
 * Every day of the range was built in its zone: its product and amount counts hold every record of
 * the day but the pending ones. Checked before the build records its own days.
 */
export async function builtInZone(db: Db, r: DayRange, alsoDays?: SQL): Promise<boolean> {
  const b = snapBuiltDays;
  const [row] = await queryRows<{ built: boolean }>(
    db,
    sql`SELECT NOT EXISTS (
          SELECT 1 FROM (
            SELECT d::date AS day
            FROM generate_series(${r.from}::timestamp, ${r.to}::timestamp, interval '1 day') d
            ${alsoDays ? sql`UNION ${alsoDays}` : sql``}
          ) days
          WHERE NOT EXISTS (SELECT 1 FROM ${b} WHERE ${b.day} = days.day AND ${b.timezone} = ${r.timezone})
        ) AS built`,
  );
  return row?.built === true;
}

/**
 * The modes and currencies a table keyed (livemode, currency, …) holds, found by skipping along its
 * key (one index probe per pair, not a read of the table).
 */
export async function keyPairs(db: Db, t: DayKeyed): Promise<KeyPair[]> {
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

/**
 * Daily money in and out per currency and mode (kpis.md v2 rules), summed from the range's converted
 * amount counts, which the build writes first in the same transaction: the two count the same
 * records by construction, and the ledger reads no raw table again (on a dirty day of a 10,000,000
 * order shop, reading the day's charges was most of its time). Only rows that differ written.
 */
export async function buildLedger(db: Db, r: DayRange): Promise<number> {
  const l = snapDailyLedger;
  const a = snapDailyAmounts;
  const amounts = daysOf(
    a,
    { key: [a.livemode, a.currency, a.day, a.kind, a.amount], values: [a.records] },
    r,
    await keyPairs(db, a),
  );
  const records = (kind: AmountKind) => sql`coalesce(sum(records) FILTER (WHERE kind = ${kind}), 0)`;
  const money = (kind: AmountKind) => sql`coalesce(sum(amount * records) FILTER (WHERE kind = ${kind}), 0)`;
  return rewriteDays(
    db,
    l,
    {
      key: [l.livemode, l.currency, l.day],
      values: [l.charges, l.grossRevenue, l.refunds, l.disputes, l.disputesLost, l.fees, l.feesKnown],
    },
    sql`SELECT livemode, currency, day, ${records("gross")}, ${money("gross")}, ${money("refund")},
               ${money("dispute")}, ${money("dispute_lost")}, ${money("fee")}, ${records("fee")}
        FROM (${amounts}) a WHERE kind <> 'order'
        GROUP BY livemode, currency, day`,
    r,
  );
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
  const customerColumns: KeyedColumns = {
    key: [c.livemode, c.currency, c.day, c.customerId],
    values: [c.orders, c.revenue, c.ordersBefore, c.prevGap, c.nextGap, c.firstDay],
  };
  const stored = await storedDays(db, c, customerColumns, r);
  const everyone = !isShort(r) && (await noPaidOrdersOutside(db, r));
  await db.delete(d).where(daysIn(d.day, r));
  await db.delete(g).where(and(inArray(g.kind, ["reach", "single"]), daysIn(g.day, r)));
  // Every part a data-modifying CTE of one statement: the window is computed once for all of them.
  const changed = await queryRows<{ day: string }>(
    db,
    sql`
    WITH ${customerDays(r, undefined, everyone)}, in_range AS (
      SELECT * FROM running WHERE day BETWEEN ${r.from}::date AND ${r.to}::date
    ), customer_rows AS (
      SELECT livemode, currency, day, customer_id, orders, revenue, before AS ${bare(c.ordersBefore)},
             prev_gap AS ${bare(c.prevGap)}, next_gap AS ${bare(c.nextGap)}, first_day AS ${bare(c.firstDay)}
      FROM in_range
    ), ${writeDifferences(c, customerColumns, "customer_rows", stored)}, gap_rows AS (
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
 * No paid order lies before or after the range (two probes of the paid-at index): every customer
 * with a paid order has one in the range, so a build of it need not look for them.
 */
async function noPaidOrdersOutside(db: Db, r: DayRange): Promise<boolean> {
  const [row] = await queryRows<{ none: boolean }>(
    db,
    sql`SELECT NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.paidAt} < ${r.start})
           AND NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.paidAt} >= ${r.end}) AS none`,
  );
  return row?.none === true;
}

/**
 * CTEs `scope` (customers with a paid order in the range, or the `customers` given) and `running`:
 * every day with a paid order of those customers, ever, with orders before it, the gaps to the
 * neighbouring days and the customer's first day. With `everyone` (no paid order lies outside the
 * range, so every customer with a paid order is in scope), the paid orders are read without
 * finding the scope first: at 1,000,000 orders that search and its join took about 1 s of a
 * year's build.
 */
export function customerDays(r: DayRange, customers?: number[], everyone = false) {
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
      WHERE ${orders.paidAt} IS NOT NULL${everyone ? sql`` : sql` AND ${ofScope}`}
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

/** Units, line revenue and known cost per product per day of paid orders (only rows that differ written). */
export async function buildProducts(
  db: Db,
  r: DayRange,
  /** The range's changes are arrivals only, on days built in its zone: add those orders' lines. */
  arrivalsOnly = false,
): Promise<number> {
  const p = snapDailyProducts;
  const columns = {
    key: [p.livemode, p.currency, p.day, p.productId],
    values: [p.units, p.revenue, p.costedRevenue, p.cost, p.costedLines],
  };
  if (arrivalsOnly)
    return addArrivals(db, p, columns, productCounts(r, sql`(SELECT order_id FROM taken)`), "products", r);
  return rewriteDays(db, p, columns, productCounts(r), r, "products");
}

/** The product counts of the range's paid orders (only the orders of `only`, an id list, when given). */
function productCounts(r: DayRange, only?: SQL): SQL {
  const l = orderLines;
  return sql`SELECT ${orders.livemode}, lower(${orders.currency}), ${localDay(orders.paidAt, r.timezone)}, ${l.productId},
           sum(${l.quantity}), sum(${l.amountTotal}),
           coalesce(sum(${l.amountTotal}) FILTER (WHERE ${l.unitCostAmount} IS NOT NULL), 0),
           coalesce(sum(${l.unitCostAmount}::bigint * ${l.quantity}), 0),
           count(${l.unitCostAmount})
    FROM ${orders} JOIN ${l} ON ${l.orderId} = ${orders.id}
    WHERE ${orders.paidAt} >= ${r.start} AND ${orders.paidAt} < ${r.end}${only ? sql` AND ${orders.id} IN ${only}` : sql``}
    GROUP BY 1, 2, 3, 4`;
}
