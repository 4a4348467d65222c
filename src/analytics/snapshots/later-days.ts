import { and, type Column, gt, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { arrayOf, bare } from "../../db/sql.ts";
import { snapCustomerGaps, snapCustomerOrders, snapDailyOrders } from "../schema.ts";
import { type DayRange, insertGapRows, rowCount } from "./facts.ts";

/**
 * A paid order that lands in the range late (its `paid_at` in the past) changes, for its customer,
 * the orders before every later day and the gaps of the neighbouring days, which may lie outside
 * the range. Whether any snapshot rows lie outside the range (then the orders stage corrects those
 * of the range's customers in the statement that writes the range, from the same window:
 * `updateOutsideRows`).
 */
export async function hasRowsOutside(db: Db, r: DayRange): Promise<boolean> {
  const d = snapDailyOrders;
  // Any customer-day row has its daily row: the small table answers whether any lie outside.
  const [outside] = await db
    .select({ x: sql`1` })
    .from(d)
    .where(or(lt(d.day, r.from), gt(d.day, r.to)))
    .limit(1);
  return outside !== undefined;
}

/**
 * The new-customer counts of the days outside the range whose customer rows the orders stage
 * changed, so a rebuild of only the dirty days still equals the raw path.
 */
export async function recountOutsideDays(db: Db, days: string[]): Promise<number> {
  if (days.length === 0) return 0;
  const c = snapCustomerOrders;
  const d = snapDailyOrders;
  await db.execute(sql`
    UPDATE ${d} SET ${bare(d.newCustomers)} = n.new_customers
    FROM (SELECT ${c.day} AS day, ${c.currency} AS currency, ${c.livemode} AS livemode,
                 count(*) FILTER (WHERE ${c.ordersBefore} = 0) AS new_customers
          FROM ${c} WHERE ${onDays(c.day, days)}
          GROUP BY 1, 2, 3) n
    WHERE ${d.day} = n.day AND ${d.currency} = n.currency AND ${d.livemode} = n.livemode
      AND ${d.newCustomers} <> n.new_customers`);
  return days.length;
}

/** `day` is one of `days` (one array parameter, however many days). */
const onDays = (day: Column, days: string[]) => sql`${day} = ANY(${arrayOf("date", days)})`;

/** The `reach` and `single` gap counts (see `snapCustomerGaps`) of days outside the range whose rows changed. */
export async function buildOutsideGaps(db: Db, days: string[]): Promise<number> {
  if (days.length === 0) return 0;
  const c = snapCustomerOrders;
  const g = snapCustomerGaps;
  await db.delete(g).where(and(inArray(g.kind, ["reach", "single"]), onDays(g.day, days)));
  const result = await db.execute(
    insertGapRows(
      sql`(SELECT ${c.livemode} AS livemode, ${c.currency} AS currency, ${c.day} AS day, ${c.orders} AS orders,
                  ${c.prevGap} AS prev_gap, ${c.nextGap} AS next_gap, ${c.ordersBefore} AS orders_before
           FROM ${c} WHERE ${onDays(c.day, days)})`,
    ),
  );
  return rowCount(result);
}
