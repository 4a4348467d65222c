import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import type { MrrMovements } from "../core/movements.ts";
import { addDays } from "../core/periods.ts";
import type { MrrPeriod } from "../mrr/period.ts";

interface Scope {
  currency: string;
  livemode: boolean;
}

/** MRR, paying customers and paying subscriptions at the end of `day`, from the change rows. */
export async function mrrAtEndOf(db: Db, s: Scope, day: string) {
  const row = await queryOne<Record<string, number | string | null>>(
    db,
    sql`SELECT coalesce(sum(mrr), 0) AS mrr, count(*) FILTER (WHERE mrr > 0) AS subscribers,
               coalesce(sum(subscriptions), 0) AS subscriptions
        FROM (SELECT DISTINCT ON (customer_key) mrr, subscriptions FROM snap_customer_mrr
              WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day <= ${day}::date
              ORDER BY customer_key, day DESC) latest`,
  );
  return {
    mrr: Number(row?.mrr ?? 0),
    subscribers: Number(row?.subscribers ?? 0),
    subscriptions: Number(row?.subscriptions ?? 0),
  };
}

/** Movement totals of the days `from`..`to` and the customers who churned in them. */
export async function movementsBetween(db: Db, s: Scope, from: string, to: string) {
  const rows = await queryRows<{ movement: string; amount: number | string; customers: number | string }>(
    db,
    sql`SELECT movement, sum(abs(mrr - prev_mrr)) AS amount, count(DISTINCT customer_key) AS customers
        FROM snap_customer_mrr
        WHERE livemode = ${s.livemode} AND currency = ${s.currency}
          AND day BETWEEN ${from}::date AND ${to}::date AND movement IS NOT NULL
        GROUP BY movement`,
  );
  const totals: MrrMovements = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
  let churnedCustomers = 0;
  for (const r of rows) {
    const key = r.movement as keyof MrrMovements;
    if (key in totals && key !== "net") totals[key] = Number(r.amount);
    if (key === "churn") churnedCustomers = Number(r.customers);
  }
  totals.net = totals.new + totals.expansion + totals.reactivation - totals.contraction - totals.churn;
  return { totals, churnedCustomers };
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
