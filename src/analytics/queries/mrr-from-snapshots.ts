import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import type { MrrMovements } from "../core/movements.ts";
import { addDays } from "../core/periods.ts";
import type { RetentionTotals } from "../core/retention.ts";
import type { MrrPeriod } from "../mrr/period.ts";
import { snapCustomerMrr, snapDailyMrr } from "../schema.ts";
import { inDays, type Scope, total } from "./scope.ts";

/** MRR, paying customers and paying subscriptions at the end of `day`: the latest daily total at or before it. */
export async function mrrAtEndOf(db: Db, s: Scope, day: string) {
  const m = snapDailyMrr;
  const [row] = await db
    .select({ mrr: m.mrr, subscribers: m.subscribers, subscriptions: m.subscriptions })
    .from(m)
    .where(and(eq(m.livemode, s.livemode), eq(m.currency, s.currency), lte(m.day, day)))
    .orderBy(desc(m.day))
    .limit(1);
  return row ?? { mrr: 0, subscribers: 0, subscriptions: 0 };
}

/** Movement totals of the days `from`..`to`. */
export async function movementsBetween(db: Db, s: Scope, from: string, to: string): Promise<MrrMovements> {
  const m = snapDailyMrr;
  const [row] = await db
    .select({
      new: total(m.newMrr),
      expansion: total(m.expansion),
      contraction: total(m.contraction),
      churn: total(m.churn),
      reactivation: total(m.reactivation),
    })
    .from(m)
    .where(inDays(m, s, from, to));
  const t = row!;
  return { ...t, net: t.new + t.expansion + t.reactivation - t.contraction - t.churn };
}

/**
 * The starting-customer sums of kpis.md's churn and retention rates: each customer's MRR at the end
 * of `startDay` (the day before the period) and of `endDay`. Only customers with MRR > 0 at start
 * enter; a customer without a row with MRR > 0 valid at the end has MRR 0 then.
 * A customer whose MRR did not change in between keeps all of it, so only the customers with a
 * change row in (startDay, endDay] are read: their MRR at start is the `prev_mrr` of their first row
 * in it (rows chain: each `prev_mrr` is the customer's row before), at end the `mrr` of their last.
 * The starting customers' count and MRR are the daily totals at `startDay`. The read follows the
 * changes of the period, not the paying customers of the shop. Each customer's first and last rows
 * come from two ordered walks of the key (`DISTINCT ON`), not from ordered aggregates, which sort
 * every customer's rows apart: 12 → 2–4 ms over 4,755 rows of 4,566 customers.
 */
export async function retentionBetween(
  db: Db,
  s: Scope,
  startDay: string,
  endDay: string,
): Promise<RetentionTotals> {
  const c = snapCustomerMrr;
  const d = snapDailyMrr;
  const inPeriod = sql`${c.livemode} = ${s.livemode} AND ${c.currency} = ${s.currency}
    AND ${c.day} > ${startDay}::date AND ${c.day} <= ${endDay}::date`;
  const row = await queryOne<RetentionTotals>(
    db,
    sql`WITH base AS (
          SELECT ${d.mrr} AS mrr, ${d.subscribers} AS customers FROM ${d}
          WHERE ${d.livemode} = ${s.livemode} AND ${d.currency} = ${s.currency} AND ${d.day} <= ${startDay}::date
          ORDER BY ${d.day} DESC LIMIT 1),
        first_rows AS (
          SELECT DISTINCT ON (${c.customerKey}) ${c.customerKey} AS customer_key, ${c.prevMrr} AS st
          FROM ${c} WHERE ${inPeriod}
          ORDER BY ${c.customerKey}, ${c.day}),
        last_rows AS (
          SELECT DISTINCT ON (${c.customerKey}) ${c.customerKey} AS customer_key, ${c.mrr} AS en
          FROM ${c} WHERE ${inPeriod}
          ORDER BY ${c.customerKey} DESC, ${c.day} DESC),
        moved AS (SELECT st, en FROM first_rows JOIN last_rows USING (customer_key)),
        changed AS (
          SELECT count(*) FILTER (WHERE en = 0) AS churned,
                 coalesce(sum(greatest(0, st - en)), 0) AS lost,
                 coalesce(sum(st - en), 0) AS dropped,
                 coalesce(sum(st - least(st, en)), 0) AS not_kept
          FROM moved WHERE st > 0),
        start AS (
          SELECT coalesce((SELECT customers FROM base), 0) AS customers,
                 coalesce((SELECT mrr FROM base), 0) AS mrr)
        SELECT start.customers::bigint AS "startingCustomers",
               changed.churned::bigint AS "churnedCustomers",
               start.mrr::bigint AS "mrrStart",
               changed.lost::bigint AS "mrrLost",
               (start.mrr - changed.dropped)::bigint AS "mrrEnd",
               (start.mrr - changed.not_kept)::bigint AS "mrrKept"
        FROM start, changed`,
  );
  return row!;
}

export async function snapshotMrrPeriod(db: Db, s: Scope, from: string, to: string): Promise<MrrPeriod> {
  const [start, end, movements, retention] = await Promise.all([
    mrrAtEndOf(db, s, addDays(from, -1)),
    mrrAtEndOf(db, s, to),
    movementsBetween(db, s, from, to),
    retentionBetween(db, s, addDays(from, -1), to),
  ]);
  return {
    mrrStart: start.mrr,
    subscribersStart: start.subscribers,
    mrrEnd: end.mrr,
    subscribersEnd: end.subscribers,
    activeSubscriptions: end.subscriptions,
    movements,
    retention,
  };
}
