import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryOne, queryParts } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { resolveParams } from "../params.ts";
import { snapDailyLedger, snapDailyOrders } from "../schema.ts";
import type { KpiParams, Kpis } from "../types.ts";
import { gapCount } from "./gaps.ts";
import { mrrPeriodOf, mrrPeriodParts } from "./mrr-from-snapshots.ts";
import { type Scope as CurrencyScope, inDays, total } from "./scope.ts";

interface Scope extends CurrencyScope {
  from: string;
  to: string;
}

/**
 * The `kpis` JSON from snapshots (dashboards, CLI, API); equals `computeKpisRaw` on built days. After
 * the default currency (when none is asked for), every total is read in one statement: one round
 * trip, and one snapshot of the tables, so a build committing meanwhile cannot split the figures.
 */
export async function computeKpis(ctx: ServiceContext, params: KpiParams): Promise<Kpis> {
  const p = await resolveParams(ctx, params, "snapshots");
  const read = await queryParts(ctx.readDb, {
    ledger: ledgerTotalsQuery(p),
    orders: orderTotalsQuery(p),
    ...mrrPeriodParts(p, p.from, p.to),
  });
  return assembleKpis(p, read.ledger!, orderTotalsOf(read.orders!), mrrPeriodOf(read));
}

/** The ledger totals of the scope's days: one row. */
function ledgerTotalsQuery(s: Scope): SQL<LedgerTotals> {
  const l = snapDailyLedger;
  return sql<LedgerTotals>`SELECT ${total(l.grossRevenue)} AS "grossRevenue", ${total(l.refunds)} AS "refunds",
           ${total(l.disputes)} AS "disputes", ${total(l.disputesLost)} AS "disputesLost",
           ${total(l.fees)} AS "fees", ${total(l.feesKnown)} AS "feesKnown"
    FROM ${l} WHERE ${inDays(l, s, s.from, s.to)}`;
}

export async function snapshotLedger(db: Db, s: Scope): Promise<LedgerTotals> {
  return (await queryOne<LedgerTotals>(db, ledgerTotalsQuery(s)))!;
}

type OrderTotalsRow = Omit<OrderTotals, "repeatCustomers"> & { singleCustomers: number };

/**
 * Orders, revenue and new customers add up over days; distinct and repeat customers are not
 * additive and come from the gap counts (a customer of the period is one whose previous day with a
 * paid order is before it; a non-repeat one has a single paid order by its end, on their first day).
 * Every read is a probe per day: the cost follows the days of the period, not the orders. One row.
 */
function orderTotalsQuery(s: Scope): SQL<OrderTotalsRow> {
  const o = snapDailyOrders;
  return sql<OrderTotalsRow>`SELECT d.orders AS "orders", d.revenue AS "orderRevenue", d.new_customers AS "newCustomers",
               ${gapCount(s, "reach", s.from, s.to)} AS "customers",
               ${gapCount(s, "single", s.from, s.to)} AS "singleCustomers"
        FROM (SELECT ${total(o.orders)} AS orders, ${total(o.orderRevenue)} AS revenue,
                     ${total(o.newCustomers)} AS new_customers
              FROM ${o} WHERE ${inDays(o, s, s.from, s.to)}) d`;
}

function orderTotalsOf({ singleCustomers, ...totals }: OrderTotalsRow): OrderTotals {
  return { ...totals, repeatCustomers: totals.customers - singleCustomers };
}

export async function snapshotOrders(db: Db, s: Scope): Promise<OrderTotals> {
  return orderTotalsOf((await queryOne<OrderTotalsRow>(db, orderTotalsQuery(s)))!);
}
