import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { resolveParams } from "../params.ts";
import type { KpiParams, Kpis } from "../types.ts";
import { snapshotMrrPeriod } from "./mrr.ts";

type Num = number | string | null;

interface Scope {
  from: string;
  to: string;
  currency: string;
  livemode: boolean;
}

/** The `kpis` JSON from snapshots (dashboards, CLI, API); equals `computeKpisRaw` on built days. */
export async function computeKpis(db: Db, params: KpiParams): Promise<Kpis> {
  const p = await resolveParams(db, params);
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
               coalesce(sum(disputes), 0) AS disputes, coalesce(sum(fees), 0) AS fees,
               coalesce(sum(fees_known), 0) AS fees_known
        FROM snap_daily_ledger
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );
  return {
    grossRevenue: Number(row?.gross ?? 0),
    refunds: Number(row?.refunds ?? 0),
    disputes: Number(row?.disputes ?? 0),
    fees: Number(row?.fees ?? 0),
    feesKnown: Number(row?.fees_known ?? 0),
  };
}

/**
 * Orders and revenue add up over days; distinct, new and repeat customers come from the
 * per-customer-day rows (a customer's paid orders by the end of the period = orders before their
 * first day in the period + orders in the period).
 */
async function snapshotOrders(db: Db, s: Scope): Promise<OrderTotals> {
  const row = await queryOne<Record<string, Num>>(
    db,
    sql`SELECT count(*) AS customers, coalesce(sum(orders), 0) AS orders, coalesce(sum(revenue), 0) AS revenue,
               count(*) FILTER (WHERE before = 0) AS new_customers,
               count(*) FILTER (WHERE before + orders >= 2) AS repeat_customers
        FROM (SELECT customer_id, min(orders_before) AS before, sum(orders) AS orders, sum(revenue) AS revenue
              FROM snap_customer_orders
              WHERE livemode = ${s.livemode} AND currency = ${s.currency}
                AND day BETWEEN ${s.from}::date AND ${s.to}::date
              GROUP BY customer_id) c`,
  );
  return {
    orders: Number(row?.orders ?? 0),
    orderRevenue: Number(row?.revenue ?? 0),
    customers: Number(row?.customers ?? 0),
    newCustomers: Number(row?.new_customers ?? 0),
    repeatCustomers: Number(row?.repeat_customers ?? 0),
  };
}
