import { count, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { rate, roundedMean } from "../core/rates.ts";
import { snapshotOrders } from "../queries/kpis.ts";
import { mrrAtEndOf } from "../queries/mrr-from-snapshots.ts";
import { inDays, type Scope, total } from "../queries/scope.ts";
import { dirtyDays, snapDailyLedger } from "../schema.ts";
import type { RecordKpi } from "./kpis.ts";
import { disputeRows, type RecordWindow, refundRows } from "./sources.ts";

/** The totals of a figure's rows: how many, Σ value, Σ denominator, and the figure they make. */
export interface RecordTotals {
  rows: number;
  value: number;
  denominator: number | null;
  /** The rows combined as the KPI combines them: equal to `figure`. */
  result: number | null;
}

type Window = Scope & Pick<RecordWindow, "from" | "to" | "start" | "end" | "timezone">;

/**
 * Row totals read from the daily snapshots instead of the rows, for the figures whose rows the
 * snapshots count one to one (a charge, an order, a period customer, a customer with MRR): about
 * 90 rows for a 90-day period instead of every record in it. Null when the snapshots cannot say
 * (another figure, or a day of the period, or before its end for MRR, waiting to be rebuilt), and
 * the rows are then added up themselves. A test checks on random data that both ways agree.
 */
export async function snapshotTotals(db: Db, kpi: RecordKpi, w: Window): Promise<RecordTotals | null> {
  const read = READERS[kpi];
  if (!read) return null;
  // MRR at the end of the period is the latest change at or before it, whatever day that was.
  if (await rebuildPending(db, MRR_AT_END.has(kpi) ? null : w.from, w.to)) return null;
  return read(db, w);
}

const MRR_AT_END = new Set<RecordKpi>(["mrr", "arr", "active_subscriptions", "subscribers", "arpa"]);

/** Whether a day of `from`..`to` (or any day up to `to`) is marked for rebuilding. */
async function rebuildPending(db: Db, from: string | null, to: string): Promise<boolean> {
  const d = dirtyDays;
  const [row] = await db
    .select({ n: count() })
    .from(d)
    .where(from === null ? lte(d.day, to) : sql`${d.day} BETWEEN ${from}::date AND ${to}::date`);
  return (row?.n ?? 0) > 0;
}

const sum = (rows: number, value: number): RecordTotals => ({
  rows,
  value,
  denominator: null,
  result: value,
});
/** A mean or rate: with no row, Σ denominator is null, as SQL's sum over nothing is. */
const ratio = (rows: number, value: number, denominator: number, result: number | null): RecordTotals => ({
  rows,
  value,
  denominator: rows === 0 ? null : denominator,
  result,
});

async function ledger(db: Db, w: Window) {
  const l = snapDailyLedger;
  const [row] = await db
    .select({
      charges: total(l.charges),
      gross: total(l.grossRevenue),
      fees: total(l.fees),
      feesKnown: total(l.feesKnown),
    })
    .from(l)
    .where(inDays(l, w, w.from, w.to));
  return row ?? { charges: 0, gross: 0, fees: 0, feesKnown: 0 };
}

const READERS: Partial<Record<RecordKpi, (db: Db, w: Window) => Promise<RecordTotals>>> = {
  gross_revenue: async (db, w) => {
    const l = await ledger(db, w);
    return sum(l.charges, l.gross);
  },
  // Charges from the snapshot; refunds and lost disputes (few) counted from their own rows.
  net_revenue: async (db, w) => {
    const l = await ledger(db, w);
    const [row] = await queryRows<{ rows: number; value: number }>(
      db,
      sql`SELECT count(*)::bigint AS "rows", coalesce(sum(r.value), 0)::bigint AS "value"
          FROM (${refundRows(w, -1)} UNION ALL ${disputeRows(w, "lost", -1)}) r`,
    );
    return sum(l.charges + Number(row?.rows ?? 0), l.gross + Number(row?.value ?? 0));
  },
  fees: async (db, w) => {
    const l = await ledger(db, w);
    return { ...sum(l.feesKnown, l.fees), result: l.feesKnown === 0 ? null : l.fees };
  },
  orders: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return sum(o.orders, o.orders);
  },
  order_revenue: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return sum(o.orders, o.orderRevenue);
  },
  aov: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return ratio(o.orders, o.orderRevenue, o.orders, roundedMean(o.orderRevenue, o.orders));
  },
  customers: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return sum(o.customers, o.customers);
  },
  new_customers: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return sum(o.newCustomers, o.newCustomers);
  },
  repeat_customer_rate: async (db, w) => {
    const o = await snapshotOrders(db, w);
    return ratio(o.customers, o.repeatCustomers, o.customers, rate(o.repeatCustomers, o.customers));
  },
  mrr: async (db, w) => {
    const m = await mrrAtEndOf(db, w, w.to);
    return sum(m.subscribers, m.mrr);
  },
  arr: async (db, w) => {
    const m = await mrrAtEndOf(db, w, w.to);
    return sum(m.subscribers, m.mrr * 12);
  },
  active_subscriptions: async (db, w) => {
    const m = await mrrAtEndOf(db, w, w.to);
    return sum(m.subscribers, m.subscriptions);
  },
  subscribers: async (db, w) => {
    const m = await mrrAtEndOf(db, w, w.to);
    return sum(m.subscribers, m.subscribers);
  },
  arpa: async (db, w) => {
    const m = await mrrAtEndOf(db, w, w.to);
    return ratio(m.subscribers, m.mrr, m.subscribers, roundedMean(m.mrr, m.subscribers));
  },
};
