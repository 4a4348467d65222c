import { and, between, gte, lt, max, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { orders } from "../../db/schema.ts";
import { bareList } from "../../db/sql.ts";
import { addDays, endOfPeriod, monthOf, startOfDay } from "../core/periods.ts";
import { snapCohorts } from "../schema.ts";
import { type DayRange, rowCount } from "./facts.ts";

/**
 * Cohort rows of the activity months from the range's first month on, rebuilt for whole months: customers of each
 * cohort (month of their first paid order, per currency and mode) with a paid order in that month.
 */
export async function buildCohorts(db: Db, r: DayRange): Promise<number> {
  const fromMonth = monthOf(r.from);
  // A late first order moves its customer to an earlier cohort in every later month too: rebuild
  // through the last month already built.
  const c = snapCohorts;
  const [built] = await db.select({ month: max(c.activityMonth) }).from(c);
  const toMonth = built?.month && built.month > monthOf(r.to) ? built.month : monthOf(r.to);
  const start = startOfDay(`${fromMonth}-01`, r.timezone);
  const end = endOfPeriod(addDays(nextMonthFirst(toMonth), -1), r.timezone);
  const tz = r.timezone;
  await db.delete(c).where(between(c.activityMonth, fromMonth, toMonth));
  // One pass: each customer's months with a paid order (customers active in the months rebuilt),
  // the cohort being the first of those months. Without paid orders before the rebuilt months,
  // every customer with one is active in them: no filter to apply.
  const [earlier] = await db.select({ x: sql`1` }).from(orders).where(lt(orders.paidAt, start)).limit(1);
  const active = alias(orders, "active");
  const activeOnly = earlier
    ? sql`AND ${orders.customerId} IN ${db
        .select({ customerId: active.customerId })
        .from(active)
        .where(and(gte(active.paidAt, start), lt(active.paidAt, end)))}`
    : sql``;
  const result = await db.execute(sql`
    WITH months AS (
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
    )
    INSERT INTO ${c} (${bareList(c.livemode, c.currency, c.cohortMonth, c.activityMonth, c.monthIndex, c.customers)})
    SELECT livemode, currency, to_char(cohort, 'YYYY-MM'), to_char(month, 'YYYY-MM'),
           (extract(year FROM month)::int * 12 + extract(month FROM month)::int)
             - (extract(year FROM cohort)::int * 12 + extract(month FROM cohort)::int),
           count(*)
    FROM cohorts WHERE month >= ${`${fromMonth}-01`}::timestamp
    GROUP BY livemode, currency, cohort, month`);
  return rowCount(result);
}

function nextMonthFirst(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
