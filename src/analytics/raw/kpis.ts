import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../money-rules.ts";
import { loadHistory } from "../mrr/history.ts";
import { mrrPeriodFromHistory } from "../mrr/reference.ts";
import { resolveParams } from "../params.ts";
import type { KpiParams, Kpis } from "../types.ts";

type Num = number | string | null;

/** The `kpis` JSON from raw tables, each formula of kpis.md written out directly: the reference path. */
export async function computeKpisRaw(db: Db, params: KpiParams): Promise<Kpis> {
  const p = await resolveParams(db, params);
  const window = { ...p, currency: p.currency };
  const [ledger, orders, history] = await Promise.all([
    rawLedger(db, window),
    rawOrders(db, window),
    loadHistory(db, p.livemode),
  ]);
  return assembleKpis(p, ledger, orders, mrrPeriodFromHistory(history, p));
}

interface Window {
  start: Date;
  end: Date;
  currency: string;
  livemode: boolean;
}

export async function rawLedger(db: Db, w: Window): Promise<LedgerTotals> {
  const row = await queryOne<Record<string, Num>>(
    db,
    sql`SELECT
      (SELECT coalesce(sum(${CAPTURED_AMOUNT}), 0) FROM charges WHERE status = 'succeeded' AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND created >= ${w.start} AND created < ${w.end}) AS gross,
      (SELECT coalesce(sum(fee), 0) FROM charges WHERE status = 'succeeded' AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND created >= ${w.start} AND created < ${w.end}) AS fees,
      (SELECT count(fee) FROM charges WHERE status = 'succeeded' AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND created >= ${w.start} AND created < ${w.end}) AS fees_known,
      (SELECT coalesce(sum(amount), 0) FROM refunds WHERE status = 'succeeded' AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND created >= ${w.start} AND created < ${w.end}) AS refunds,
      (SELECT coalesce(sum(amount), 0) FROM disputes WHERE ${IS_CHARGEBACK} AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND created >= ${w.start} AND created < ${w.end}) AS disputes,
      (SELECT coalesce(sum(amount), 0) FROM disputes WHERE status = 'lost' AND lower(currency) = ${w.currency}
         AND livemode = ${w.livemode} AND ${LOST_AT} >= ${w.start} AND ${LOST_AT} < ${w.end}) AS disputes_lost`,
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
 * Orders by `paid_at` in the period. Customer KPIs are read within the requested currency: a
 * customer is new when their first paid order in that currency falls in the period, and a repeat
 * customer when they have 2+ paid orders in it by the end of the period.
 */
export async function rawOrders(db: Db, w: Window): Promise<OrderTotals> {
  const row = await queryOne<Record<string, Num>>(
    db,
    sql`WITH paid AS (
          SELECT customer_id, paid_at, amount_total FROM orders
          WHERE paid_at IS NOT NULL AND lower(currency) = ${w.currency} AND livemode = ${w.livemode}
        ), in_period AS (
          SELECT * FROM paid WHERE paid_at >= ${w.start} AND paid_at < ${w.end}
        ), per_customer AS (
          SELECT c.customer_id,
                 (SELECT min(paid_at) FROM paid p WHERE p.customer_id = c.customer_id) AS first_paid,
                 (SELECT count(*) FROM paid p WHERE p.customer_id = c.customer_id AND p.paid_at < ${w.end}) AS paid_by_end
          FROM (SELECT DISTINCT customer_id FROM in_period) c
        )
        SELECT (SELECT count(*) FROM in_period) AS orders,
               (SELECT coalesce(sum(amount_total), 0) FROM in_period) AS revenue,
               (SELECT count(*) FROM per_customer) AS customers,
               (SELECT count(*) FROM per_customer WHERE first_paid >= ${w.start}) AS new_customers,
               (SELECT count(*) FROM per_customer WHERE paid_by_end >= 2) AS repeat_customers`,
  );
  return {
    orders: Number(row?.orders ?? 0),
    orderRevenue: Number(row?.revenue ?? 0),
    customers: Number(row?.customers ?? 0),
    newCustomers: Number(row?.new_customers ?? 0),
    repeatCustomers: Number(row?.repeat_customers ?? 0),
  };
}
