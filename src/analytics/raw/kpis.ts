import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { charges, disputes, orders, refunds } from "../../db/schema.ts";
import { queryOne } from "../../db/sql.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../money-rules.ts";
import { type HistoryState, loadHistory } from "../mrr/history.ts";
import { type EverHadMemo, mrrPeriodFromHistory } from "../mrr/reference.ts";
import { resolveParams } from "../params.ts";
import type { KpiParams, Kpis } from "../types.ts";

/** The subscription history of one Stripe mode, read once for several `computeKpisRaw` calls. */
export interface RawHistory {
  livemode: boolean;
  states: HistoryState[];
  /** What the calls so far worked out from it that the next day's call extends. */
  memo: EverHadMemo;
}

/** Reads the history `computeKpisRaw` reads, to pass to many calls (the reconciliation check's days). */
export async function readRawHistory(ctx: ServiceContext, livemode: boolean): Promise<RawHistory> {
  return { livemode, states: await loadHistory(ctx.readDb, livemode), memo: new Map() };
}

/**
 * The `kpis` JSON from raw tables, each formula of kpis.md written out directly: the reference path.
 * With `history` (of the same mode) the subscription history is not read again: the caller answers
 * for it being current enough.
 */
export async function computeKpisRaw(
  ctx: ServiceContext,
  params: KpiParams,
  history?: RawHistory,
): Promise<Kpis> {
  const db = ctx.readDb;
  const p = await resolveParams(ctx, params);
  const window = { ...p, currency: p.currency };
  const read = history?.livemode === p.livemode ? history : undefined;
  const [ledger, orders, states] = await Promise.all([
    rawLedger(db, window),
    rawOrders(db, window),
    read ? read.states : loadHistory(db, p.livemode),
  ]);
  return assembleKpis(p, ledger, orders, mrrPeriodFromHistory(states, p, read?.memo));
}

interface Window {
  start: Date;
  end: Date;
  currency: string;
  livemode: boolean;
}

async function rawLedger(db: Db, w: Window): Promise<LedgerTotals> {
  const scoped = (t: typeof charges | typeof refunds | typeof disputes, at: SQL = sql`${t.created}`) =>
    sql`lower(${t.currency}) = ${w.currency} AND ${t.livemode} = ${w.livemode} AND ${at} >= ${w.start} AND ${at} < ${w.end}`;
  const row = await queryOne<LedgerTotals>(
    db,
    sql`SELECT
      (SELECT coalesce(sum(${CAPTURED_AMOUNT}), 0)::bigint FROM ${charges}
         WHERE ${charges.status} = 'succeeded' AND ${scoped(charges)}) AS "grossRevenue",
      (SELECT coalesce(sum(${charges.fee}), 0)::bigint FROM ${charges}
         WHERE ${charges.status} = 'succeeded' AND ${scoped(charges)}) AS "fees",
      (SELECT count(${charges.fee}) FROM ${charges}
         WHERE ${charges.status} = 'succeeded' AND ${scoped(charges)}) AS "feesKnown",
      (SELECT coalesce(sum(${refunds.amount}), 0)::bigint FROM ${refunds}
         WHERE ${refunds.status} = 'succeeded' AND ${scoped(refunds)}) AS "refunds",
      (SELECT coalesce(sum(${disputes.amount}), 0)::bigint FROM ${disputes}
         WHERE ${IS_CHARGEBACK} AND ${scoped(disputes)}) AS "disputes",
      (SELECT coalesce(sum(${disputes.amount}), 0)::bigint FROM ${disputes}
         WHERE ${disputes.status} = 'lost' AND ${scoped(disputes, LOST_AT)}) AS "disputesLost"`,
  );
  return row ?? { grossRevenue: 0, refunds: 0, disputes: 0, disputesLost: 0, fees: 0, feesKnown: 0 };
}

/**
 * Orders by `paid_at` in the period. Customer KPIs are read within the requested currency: a
 * customer is new when their first paid order in that currency falls in the period, and a repeat
 * customer when they have 2+ paid orders in it by the end of the period.
 */
async function rawOrders(db: Db, w: Window): Promise<OrderTotals> {
  const row = await queryOne<OrderTotals>(
    db,
    sql`WITH paid AS (
          SELECT ${orders.customerId} AS customer_id, ${orders.paidAt} AS paid_at, ${orders.amountTotal} AS amount_total
          FROM ${orders}
          WHERE ${orders.paidAt} IS NOT NULL AND lower(${orders.currency}) = ${w.currency} AND ${orders.livemode} = ${w.livemode}
        ), in_period AS (
          SELECT * FROM paid WHERE paid_at >= ${w.start} AND paid_at < ${w.end}
        ), per_customer AS (
          SELECT c.customer_id,
                 (SELECT min(paid_at) FROM paid p WHERE p.customer_id = c.customer_id) AS first_paid,
                 (SELECT count(*) FROM paid p WHERE p.customer_id = c.customer_id AND p.paid_at < ${w.end}) AS paid_by_end
          FROM (SELECT DISTINCT customer_id FROM in_period) c
        )
        SELECT (SELECT count(*) FROM in_period) AS "orders",
               (SELECT coalesce(sum(amount_total), 0)::bigint FROM in_period) AS "orderRevenue",
               (SELECT count(*) FROM per_customer) AS "customers",
               (SELECT count(*) FROM per_customer WHERE first_paid >= ${w.start}) AS "newCustomers",
               (SELECT count(*) FROM per_customer WHERE paid_by_end >= 2) AS "repeatCustomers"`,
  );
  return row ?? { orders: 0, orderRevenue: 0, customers: 0, newCustomers: 0, repeatCustomers: 0 };
}
