import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import type { MrrMovements } from "../core/movements.ts";
import { addDays } from "../core/periods.ts";
import type { MrrPeriod } from "../mrr/period.ts";
import { gapCount } from "./gaps.ts";

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

/** Movement totals of the days `from`..`to` and the customers who churned in them. */
export async function movementsBetween(db: Db, s: Scope, from: string, to: string) {
  const row = await queryOne<Record<string, number | string | null>>(
    db,
    sql`SELECT coalesce(sum(new_mrr), 0) AS new, coalesce(sum(expansion), 0) AS expansion,
               coalesce(sum(contraction), 0) AS contraction, coalesce(sum(churn), 0) AS churn,
               coalesce(sum(reactivation), 0) AS reactivation,
               ${gapCount(s, "churn", from, to)} AS churned_customers
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
  return { totals, churnedCustomers: Number(row?.churned_customers ?? 0) };
}

export async function snapshotMrrPeriod(db: Db, s: Scope, from: string, to: string): Promise<MrrPeriod> {
  const [start, end, moves] = await Promise.all([
    mrrAtEndOf(db, s, addDays(from, -1)),
    mrrAtEndOf(db, s, to),
    movementsBetween(db, s, from, to),
  ]);
  return {
    mrrStart: start.mrr,
    subscribersStart: start.subscribers,
    mrrEnd: end.mrr,
    subscribersEnd: end.subscribers,
    activeSubscriptions: end.subscriptions,
    movements: moves.totals,
    churnedCustomers: moves.churnedCustomers,
  };
}
