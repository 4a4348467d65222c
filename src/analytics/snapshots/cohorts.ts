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
  const result = await db.execute(sql`
    WITH active AS (
      SELECT DISTINCT livemode, lower(currency) AS currency, customer_id,
             to_char(paid_at AT TIME ZONE ${tz}, 'YYYY-MM') AS month
      FROM orders WHERE paid_at >= ${start} AND paid_at < ${end}
    ), firsts AS (
      SELECT o.livemode, lower(o.currency) AS currency, o.customer_id,
             to_char(min(o.paid_at) AT TIME ZONE ${tz}, 'YYYY-MM') AS cohort
      FROM orders o WHERE o.paid_at IS NOT NULL AND o.paid_at < ${end}
        AND o.customer_id IN (SELECT customer_id FROM active)
      GROUP BY 1, 2, 3
    )
    INSERT INTO snap_cohorts (livemode, currency, cohort_month, activity_month, month_index, customers)
    SELECT a.livemode, a.currency, f.cohort, a.month,
           (substr(a.month, 1, 4)::int * 12 + substr(a.month, 6, 2)::int)
             - (substr(f.cohort, 1, 4)::int * 12 + substr(f.cohort, 6, 2)::int),
           count(*)
    FROM active a JOIN firsts f USING (livemode, currency, customer_id)
    GROUP BY 1, 2, 3, 4`);
  return Number((result as { rowCount?: number }).rowCount ?? 0);
}

function nextMonthFirst(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
