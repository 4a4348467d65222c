import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { addDays, endOfPeriod, monthOf, startOfDay } from "../core/periods.ts";
import type { DayRange } from "./facts.ts";

/**
 * Cohort rows of the activity months from the range's first month on, rebuilt for whole months: customers of each
 * cohort (month of their first paid order, per currency and mode) with a paid order in that month.
 */
export async function buildCohorts(db: Db, r: DayRange): Promise<number> {
  const fromMonth = monthOf(r.from);
  // A late first order moves its customer to an earlier cohort in every later month too: rebuild
  // through the last month already built.
  const built = await queryOne<{ month: string | null }>(
    db,
    sql`SELECT max(activity_month) AS month FROM snap_cohorts`,
  );
  const toMonth = built?.month && built.month > monthOf(r.to) ? built.month : monthOf(r.to);
  const start = startOfDay(`${fromMonth}-01`, r.timezone);
  const end = endOfPeriod(addDays(nextMonthFirst(toMonth), -1), r.timezone);
  const tz = r.timezone;
  await db.execute(sql`DELETE FROM snap_cohorts WHERE activity_month BETWEEN ${fromMonth} AND ${toMonth}`);
  // One pass: each customer's months with a paid order (customers active in the months rebuilt),
  // the cohort being the first of those months. Without paid orders before the rebuilt months,
  // every customer with one is active in them: no filter to apply.
  const earlier = await queryOne(db, sql`SELECT 1 AS x FROM orders WHERE paid_at < ${start} LIMIT 1`);
  const activeOnly = earlier
    ? sql`AND o.customer_id IN (SELECT customer_id FROM orders WHERE paid_at >= ${start} AND paid_at < ${end})`
    : sql``;
  const result = await db.execute(sql`
    WITH months AS (
      SELECT o.livemode, lower(o.currency) AS currency, o.customer_id,
             date_trunc('month', o.paid_at AT TIME ZONE ${tz}) AS month
      FROM orders o
      WHERE o.paid_at IS NOT NULL AND o.paid_at < ${end} ${activeOnly}
      GROUP BY 1, 2, 3, 4
    ), cohorts AS (
      SELECT livemode, currency, month, min(month) OVER (PARTITION BY livemode, currency, customer_id) AS cohort
      FROM months
    )
    INSERT INTO snap_cohorts (livemode, currency, cohort_month, activity_month, month_index, customers)
    SELECT livemode, currency, to_char(cohort, 'YYYY-MM'), to_char(month, 'YYYY-MM'),
           (extract(year FROM month)::int * 12 + extract(month FROM month)::int)
             - (extract(year FROM cohort)::int * 12 + extract(month FROM cohort)::int),
           count(*)
    FROM cohorts WHERE month >= ${`${fromMonth}-01`}::timestamp
    GROUP BY livemode, currency, cohort, month`);
  return Number((result as { rowCount?: number }).rowCount ?? 0);
}

function nextMonthFirst(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
