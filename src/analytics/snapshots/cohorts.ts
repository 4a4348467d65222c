import { and, between, gte, lt, max, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { orders } from "../../db/schema.ts";
import { bareList, queryOne } from "../../db/sql.ts";
import { addDays, endOfPeriod, monthOf, startOfDay } from "../core/periods.ts";
import { snapBuiltDays, snapCohorts, snapCustomerOrders } from "../schema.ts";
import { type DayRange, keyPairs, rowCount } from "./facts.ts";

/**
 * Where the cohorts stage reads each customer's months: the customer-day rows the orders stage
 * wrote (one row per customer per day, carrying the customer's first day), or the orders.
 */
export type CohortSource = "customer_days" | "orders";

/**
 * Cohort rows of the activity months from the range's first month on, rebuilt for whole months: customers of each
 * cohort (month of their first paid order, per currency and mode) with a paid order in that month.
 * Counted from the months' customer-day rows when every day of those months with a paid order has
 * been built in the range's zone (a dirty day reads its month's rows, not every paid order), from
 * the orders otherwise; `source` forces one (the tests compare both).
 */
export async function buildCohorts(db: Db, r: DayRange, source?: CohortSource): Promise<number> {
  const c = snapCohorts;
  const months = await rebuiltMonths(db, r);
  await db.delete(c).where(between(c.activityMonth, monthOf(months.first), monthOf(months.last)));
  const from = source ?? (await sourceOf(db, months, r.timezone));
  const customerMonths =
    from === "customer_days" ? await fromCustomerDays(db, months) : await fromOrders(db, months, r.timezone);
  const result = await db.execute(sql`
    WITH ${customerMonths}
    INSERT INTO ${c} (${bareList(c.livemode, c.currency, c.cohortMonth, c.activityMonth, c.monthIndex, c.customers)})
    SELECT livemode, currency, to_char(cohort, 'YYYY-MM'), to_char(month, 'YYYY-MM'),
           (extract(year FROM month)::int * 12 + extract(month FROM month)::int)
             - (extract(year FROM cohort)::int * 12 + extract(month FROM cohort)::int),
           count(*)
    FROM cohorts WHERE month >= ${months.first}::timestamp
    GROUP BY livemode, currency, cohort, month`);
  return rowCount(result);
}

/** Where a build of `r` would count its cohorts from, as things stand. */
export async function cohortSource(db: Db, r: DayRange): Promise<CohortSource> {
  return sourceOf(db, await rebuiltMonths(db, r), r.timezone);
}

/** First and last day of the months rebuilt. */
interface Months {
  first: string;
  last: string;
}

/**
 * The months a build of `r` rebuilds: from the range's first month through the range's last or the
 * last month already built, whichever is later (a late first order moves its customer to an earlier
 * cohort in every later month too).
 */
async function rebuiltMonths(db: Db, r: DayRange): Promise<Months> {
  const [built] = await db.select({ month: max(snapCohorts.activityMonth) }).from(snapCohorts);
  const toMonth = built?.month && built.month > monthOf(r.to) ? built.month : monthOf(r.to);
  return { first: `${monthOf(r.from)}-01`, last: addDays(nextMonthFirst(toMonth), -1) };
}

/**
 * The customer-day rows hold every customer of the months when each day of them was either built in
 * `timezone` (`snap_built_days`) or has no paid order (an index probe per run of days not built).
 */
async function sourceOf(db: Db, months: Months, timezone: string): Promise<CohortSource> {
  const b = snapBuiltDays;
  const row = await queryOne<{ missing: boolean }>(
    db,
    sql`WITH unbuilt AS (
          SELECT d::date AS day, d::date - (row_number() OVER (ORDER BY d))::int AS run
          FROM generate_series(${months.first}::timestamp, ${months.last}::timestamp, interval '1 day') d
          WHERE NOT EXISTS (SELECT 1 FROM ${b} WHERE ${b.day} = d::date AND ${b.timezone} = ${timezone})
        ), runs AS (
          SELECT min(day)::timestamp AT TIME ZONE ${timezone} AS start,
                 (max(day) + 1)::timestamp AT TIME ZONE ${timezone} AS "end"
          FROM unbuilt GROUP BY run
        )
        SELECT EXISTS (
          SELECT 1 FROM runs WHERE EXISTS (
            SELECT 1 FROM ${orders} WHERE ${orders.paidAt} >= runs.start AND ${orders.paidAt} < runs."end")
        ) AS missing`,
  );
  return row?.missing === false ? "customer_days" : "orders";
}

/**
 * CTE `cohorts` from the customer-day rows: one row per customer and month of the months, with the
 * month of the customer's first day. Read through the key, one range per mode and currency (each
 * its own branch, planned on its own rows: a join to the pairs was planned as a read of the whole
 * table, or costed high enough to be compiled first).
 */
async function fromCustomerDays(db: Db, months: Months): Promise<SQL> {
  const o = snapCustomerOrders;
  const ranges = (await keyPairs(db, o)).map(
    ({ livemode, currency }) =>
      sql`SELECT ${o.livemode} AS livemode, ${o.currency} AS currency, ${o.customerId} AS customer_id,
                 ${o.day} AS day, ${o.firstDay} AS first_day
          FROM ${o}
          WHERE ${o.livemode} = ${livemode} AND ${o.currency} = ${currency}
            AND ${o.day} BETWEEN ${months.first}::date AND ${months.last}::date`,
  );
  const rows =
    ranges.length > 0
      ? sql.join(ranges, sql` UNION ALL `)
      : sql`SELECT NULL::boolean AS livemode, NULL::text AS currency, NULL::int AS customer_id,
                   NULL::date AS day, NULL::date AS first_day WHERE false`;
  return sql`cohorts AS (
      SELECT DISTINCT livemode, currency, customer_id,
             date_trunc('month', day::timestamp) AS month, date_trunc('month', first_day::timestamp) AS cohort
      FROM (${rows}) x
    )`;
}

/**
 * CTE `cohorts` from the orders: each customer's months with a paid order up to the months' end
 * (customers active in the months rebuilt), the cohort being the first of those months.
 */
async function fromOrders(db: Db, months: Months, tz: string): Promise<SQL> {
  const start = startOfDay(months.first, tz);
  const end = endOfPeriod(months.last, tz);
  // Without paid orders before the rebuilt months, every customer with one is active in them: no
  // filter to apply.
  const [earlier] = await db.select({ x: sql`1` }).from(orders).where(lt(orders.paidAt, start)).limit(1);
  const active = alias(orders, "active");
  const activeOnly = earlier
    ? sql`AND ${orders.customerId} IN ${db
        .select({ customerId: active.customerId })
        .from(active)
        .where(and(gte(active.paidAt, start), lt(active.paidAt, end)))}`
    : sql``;
  return sql`months AS (
      SELECT ${orders.livemode} AS livemode, lower(${orders.currency}) AS currency, ${orders.customerId} AS customer_id,
             date_trunc('month', ${orders.paidAt} AT TIME ZONE ${tz}) AS month
      FROM ${orders}
      WHERE ${orders.paidAt} IS NOT NULL AND ${orders.paidAt} < ${end} ${activeOnly}
      GROUP BY 1, 2, 3, 4
    ), firsts AS (
      SELECT livemode, currency, customer_id, min(month) AS cohort FROM months GROUP BY 1, 2, 3
    ), cohorts AS (
      -- Hash join and aggregates: no sort of every customer-month as a window over customers needs.
      SELECT m.livemode, m.currency, m.month, f.cohort
      FROM months m JOIN firsts f USING (livemode, currency, customer_id)
    )`;
}

function nextMonthFirst(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
