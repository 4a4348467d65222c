import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { resolveParams } from "../params.ts";
import type { KpiParams, Kpis } from "../types.ts";
import { gapCount } from "./gaps.ts";
import { snapshotMrrPeriod } from "./mrr-from-snapshots.ts";

type Num = number | string | null;

interface Scope {
  from: string;
  to: string;
  currency: string;
  livemode: boolean;
}

/** The `kpis` JSON from snapshots (dashboards, CLI, API); equals `computeKpisRaw` on built days. */
export async function computeKpis(db: Db, params: KpiParams): Promise<Kpis> {
  const p = await resolveParams(db, params, "snapshots");
  const [ledger, orders, mrr] = await Promise.all([
    snapshotLedger(db, p),
    snapshotOrders(db, p),
    snapshotMrrPeriod(db, p, p.from, p.to),
  ]);
  return assembleKpis(p, ledger, orders, mrr);
}

async function snapshotLedger(db: Db, s: Scope): Promise<LedgerTotals> {
  const row = await queryOne<Record<string, Num>>(
    db,
    sql`SELECT coalesce(sum(gross_revenue), 0) AS gross, coalesce(sum(refunds), 0) AS refunds,
               coalesce(sum(disputes), 0) AS disputes, coalesce(sum(disputes_lost), 0) AS disputes_lost,
               coalesce(sum(fees), 0) AS fees,
               coalesce(sum(fees_known), 0) AS fees_known
        FROM snap_daily_ledger
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );
  return {
    grossRevenue: Number(row?.gross ?? 0),
    refunds: Number(row?.refunds ?? 0),
    disputes: Number(row?.disputes ?? 0),
    disputesLost: Number(row?.disputes_lost ?? 0),
    fees: Number(row?.fees ?? 0),
    feesKnown: Number(row?.fees_known ?? 0),
  };
}

/**
 * Orders, revenue and new customers add up over days; distinct and repeat customers are not
 * additive and come from the gap counts (a customer of the period is one whose previous day with a
 * paid order is before it; a non-repeat one has a single paid order by its end, on their first day).
 * Every read is a probe per day: the cost follows the days of the period, not the orders.
 */
async function snapshotOrders(db: Db, s: Scope): Promise<OrderTotals> {
  const row = await queryOne<Record<string, Num>>(
    db,
    sql`SELECT d.orders, d.revenue, d.new_customers,
               ${gapCount(s, "reach", s.from, s.to)} AS customers,
               ${gapCount(s, "single", s.from, s.to)} AS single_customers
        FROM (SELECT coalesce(sum(orders), 0) AS orders, coalesce(sum(order_revenue), 0) AS revenue,
                     coalesce(sum(new_customers), 0) AS new_customers
              FROM snap_daily_orders
              WHERE livemode = ${s.livemode} AND currency = ${s.currency}
                AND day BETWEEN ${s.from}::date AND ${s.to}::date) d`,
  );
  const customers = Number(row?.customers ?? 0);
  return {
    orders: Number(row?.orders ?? 0),
    orderRevenue: Number(row?.revenue ?? 0),
    customers,
    newCustomers: Number(row?.new_customers ?? 0),
    repeatCustomers: customers - Number(row?.single_customers ?? 0),
  };
}
