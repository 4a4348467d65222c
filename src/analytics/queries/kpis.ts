import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { resolveParams } from "../params.ts";
import { snapDailyLedger, snapDailyOrders } from "../schema.ts";
import type { KpiParams, Kpis } from "../types.ts";
import { gapCount } from "./gaps.ts";
import { snapshotMrrPeriod } from "./mrr-from-snapshots.ts";
import { type Scope as CurrencyScope, inDays, total } from "./scope.ts";

interface Scope extends CurrencyScope {
  from: string;
  to: string;
}

/** The `kpis` JSON from snapshots (dashboards, CLI, API); equals `computeKpisRaw` on built days. */
export async function computeKpis(ctx: ServiceContext, params: KpiParams): Promise<Kpis> {
  const db = ctx.readDb;
  const p = await resolveParams(ctx, params, "snapshots");
  const [ledger, orders, mrr] = await Promise.all([
    snapshotLedger(db, p),
    snapshotOrders(db, p),
    snapshotMrrPeriod(db, p, p.from, p.to),
  ]);
  return assembleKpis(p, ledger, orders, mrr);
}

export async function snapshotLedger(db: Db, s: Scope): Promise<LedgerTotals> {
  const l = snapDailyLedger;
  const [row] = await db
    .select({
      grossRevenue: total(l.grossRevenue),
      refunds: total(l.refunds),
      disputes: total(l.disputes),
      disputesLost: total(l.disputesLost),
      fees: total(l.fees),
      feesKnown: total(l.feesKnown),
    })
    .from(l)
    .where(inDays(l, s, s.from, s.to));
  return row!;
}

/**
 * Orders, revenue and new customers add up over days; distinct and repeat customers are not
 * additive and come from the gap counts (a customer of the period is one whose previous day with a
 * paid order is before it; a non-repeat one has a single paid order by its end, on their first day).
 * Every read is a probe per day: the cost follows the days of the period, not the orders.
 */
export async function snapshotOrders(db: Db, s: Scope): Promise<OrderTotals> {
  const o = snapDailyOrders;
  const row = await queryOne<Omit<OrderTotals, "repeatCustomers"> & { singleCustomers: number }>(
    db,
    sql`SELECT d.orders AS "orders", d.revenue AS "orderRevenue", d.new_customers AS "newCustomers",
               ${gapCount(s, "reach", s.from, s.to)} AS "customers",
               ${gapCount(s, "single", s.from, s.to)} AS "singleCustomers"
        FROM (SELECT ${total(o.orders)} AS orders, ${total(o.orderRevenue)} AS revenue,
                     ${total(o.newCustomers)} AS new_customers
              FROM ${o} WHERE ${inDays(o, s, s.from, s.to)}) d`,
  );
  const { singleCustomers, ...totals } = row!;
  return { ...totals, repeatCustomers: totals.customers - singleCustomers };
}
