import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import type { MrrMovements } from "../core/movements.ts";
import { addDays } from "../core/periods.ts";
import type { RetentionTotals } from "../core/retention.ts";
import type { MrrPeriod } from "../mrr/period.ts";

interface Scope {
  currency: string;
  livemode: boolean;
}

/** MRR, paying customers and paying subscriptions at the end of `day`: the latest daily total at or before it. */
export async function mrrAtEndOf(db: Db, s: Scope, day: string) {
  const row = await queryOne<Record<string, number | string | null>>(
    db,
    sql`SELECT mrr, subscribers, subscriptions FROM snap_daily_mrr
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day <= ${day}::date
        ORDER BY day DESC LIMIT 1`,
  );
  return {
    mrr: Number(row?.mrr ?? 0),
    subscribers: Number(row?.subscribers ?? 0),
    subscriptions: Number(row?.subscriptions ?? 0),
  };
}

/** Movement totals of the days `from`..`to`. */
export async function movementsBetween(db: Db, s: Scope, from: string, to: string): Promise<MrrMovements> {
  const row = await queryOne<Record<string, number | string | null>>(
    db,
    sql`SELECT coalesce(sum(new_mrr), 0) AS new, coalesce(sum(expansion), 0) AS expansion,
               coalesce(sum(contraction), 0) AS contraction, coalesce(sum(churn), 0) AS churn,
               coalesce(sum(reactivation), 0) AS reactivation
        FROM snap_daily_mrr
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${from}::date AND ${to}::date`,
  );
  const totals: MrrMovements = {
    new: Number(row?.new ?? 0),
    expansion: Number(row?.expansion ?? 0),
    contraction: Number(row?.contraction ?? 0),
    churn: Number(row?.churn ?? 0),
    reactivation: Number(row?.reactivation ?? 0),
    net: 0,
  };
  totals.net = totals.new + totals.expansion + totals.reactivation - totals.contraction - totals.churn;
  return totals;
}

/**
 * The starting-customer sums of kpis.md's churn and retention rates: each customer's MRR at the end
 * of `startDay` (the day before the period) and of `endDay`, from the latest customer MRR row at or
 * before each. Only customers with MRR > 0 at start enter; the read follows those customers' rows.
 */
export async function retentionBetween(
  db: Db,
  s: Scope,
  startDay: string,
  endDay: string,
): Promise<RetentionTotals> {
  const row = await queryOne<Record<string, number | string | null>>(
    db,
    sql`WITH at_start AS (
          SELECT DISTINCT ON (customer_key) customer_key, mrr FROM snap_customer_mrr
          WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day <= ${startDay}::date
          ORDER BY customer_key, day DESC
        ), starting AS (
          SELECT customer_key, mrr FROM at_start WHERE mrr > 0
        ), at_end AS (
          SELECT DISTINCT ON (customer_key) customer_key, mrr FROM snap_customer_mrr
          WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day <= ${endDay}::date
            AND customer_key IN (SELECT customer_key FROM starting)
          ORDER BY customer_key, day DESC
        )
        SELECT count(*) AS starting_customers,
               count(*) FILTER (WHERE coalesce(e.mrr, 0) = 0) AS churned_customers,
               coalesce(sum(st.mrr), 0) AS mrr_start,
               coalesce(sum(greatest(0, st.mrr - coalesce(e.mrr, 0))), 0) AS mrr_lost,
               coalesce(sum(coalesce(e.mrr, 0)), 0) AS mrr_end,
               coalesce(sum(least(st.mrr, coalesce(e.mrr, 0))), 0) AS mrr_kept
        FROM starting st LEFT JOIN at_end e USING (customer_key)`,
  );
  return {
    startingCustomers: Number(row?.starting_customers ?? 0),
    churnedCustomers: Number(row?.churned_customers ?? 0),
    mrrStart: Number(row?.mrr_start ?? 0),
    mrrLost: Number(row?.mrr_lost ?? 0),
    mrrEnd: Number(row?.mrr_end ?? 0),
    mrrKept: Number(row?.mrr_kept ?? 0),
  };
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
