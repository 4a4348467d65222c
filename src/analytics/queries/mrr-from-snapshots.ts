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
 * of `startDay` (the day before the period) and of `endDay`, from the customer MRR row valid then
 * (`day <= D < valid_to`). Only customers with MRR > 0 at start enter; a customer without a row with
 * MRR > 0 valid at the end has MRR 0 then. Both reads are ranges of the paying-customer index
 * (rows still valid after D), not the customers' whole history.
 */
export async function retentionBetween(
  db: Db,
  s: Scope,
  startDay: string,
  endDay: string,
): Promise<RetentionTotals> {
  const c = snapCustomerMrr;
  const payingAt = (day: string) =>
    sql`SELECT ${c.customerKey} AS customer_key, ${c.mrr} AS mrr FROM ${c}
        WHERE ${c.livemode} = ${s.livemode} AND ${c.currency} = ${s.currency} AND ${c.mrr} > 0
          AND ${c.validTo} > ${day}::date AND ${c.day} <= ${day}::date`;
  const row = await queryOne<RetentionTotals>(
    db,
    sql`WITH starting AS (${payingAt(startDay)}), at_end AS (${payingAt(endDay)})
        SELECT count(*) AS "startingCustomers",
               count(*) FILTER (WHERE coalesce(e.mrr, 0) = 0) AS "churnedCustomers",
               ${total(sql`st.mrr`)} AS "mrrStart",
               ${total(sql`greatest(0, st.mrr - coalesce(e.mrr, 0))`)} AS "mrrLost",
               ${total(sql`coalesce(e.mrr, 0)`)} AS "mrrEnd",
               ${total(sql`least(st.mrr, coalesce(e.mrr, 0))`)} AS "mrrKept"
        FROM starting st LEFT JOIN at_end e USING (customer_key)`,
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
