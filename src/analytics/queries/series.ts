import { type Column, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { roundedMean } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import { snapDailyLedger, snapDailyMrr, snapDailyOrders } from "../schema.ts";
import type { Series, SeriesMetric, SeriesParams } from "../types.ts";
import { bucketsOf } from "./buckets.ts";
import { gapCount } from "./gaps.ts";
import { mrrAtEndOf } from "./mrr-from-snapshots.ts";
import { type Scope as CurrencyScope, inDays } from "./scope.ts";

type Daily = Map<string, Record<string, number>>;
interface Scope extends CurrencyScope {
  from: string;
  to: string;
}

const LEDGER = new Set<SeriesMetric>([
  "gross_revenue",
  "refunds",
  "net_revenue",
  "disputes",
  "disputes_lost",
  "fees",
]);
const ORDERS = new Set<SeriesMetric>(["orders", "order_revenue", "aov", "new_customers"]);
const STOCKS = new Set<SeriesMetric>(["mrr", "arr", "active_subscriptions", "subscribers"]);

/**
 * One metric over time for dashboards, from snapshots. Flows are summed over each bucket (a bucket's
 * `customers` are distinct within it, `aov` is its revenue ÷ orders); stocks are the value at the
 * end of the bucket's last day.
 */
export async function getSeries(ctx: ServiceContext, params: SeriesParams): Promise<Series> {
  const db = ctx.readDb;
  const p = await resolveParams(ctx, params, "snapshots");
  const buckets = bucketsOf(p.from, p.to, params.grain);
  const metric = params.metric;
  let values: Array<number | null>;
  if (metric === "customers") {
    // Distinct customers within each bucket, from the gap counts (one probe per day).
    const froms = `{${buckets.map((b) => b.days[0]).join(",")}}`;
    const tos = `{${buckets.map((b) => b.to).join(",")}}`;
    const rows = await queryRows<{ n: number }>(
      db,
      sql`SELECT ${gapCount(p, "reach", sql`b.f`, sql`b.t`)} AS n
          FROM unnest(${froms}::date[], ${tos}::date[]) WITH ORDINALITY AS b(f, t, idx)
          ORDER BY b.idx`,
    );
    values = rows.map((r) => r.n);
  } else if (STOCKS.has(metric)) {
    const daily = await stockDaily(db, p);
    values = buckets.map((b) => {
      const v = daily.get(b.to)!;
      if (metric === "arr") return v.mrr! * 12;
      return v[metric === "active_subscriptions" ? "subscriptions" : metric]!;
    });
  } else {
    const daily = LEDGER.has(metric)
      ? await ledgerDaily(db, p)
      : ORDERS.has(metric)
        ? await ordersDaily(db, p)
        : await movementsDaily(db, p);
    values = buckets.map((b) => {
      const sum = (key: string) => b.days.reduce((s, d) => s + (daily.get(d)?.[key] ?? 0), 0);
      if (metric === "net_revenue") return sum("gross_revenue") - sum("refunds") - sum("disputes_lost");
      if (metric === "fees") return sum("fees_known") > 0 ? sum("fees") : null;
      if (metric === "aov") return roundedMean(sum("order_revenue"), sum("orders"));
      if (metric === "mrr_net")
        return sum("new") + sum("expansion") + sum("reactivation") - sum("contraction") - sum("churn");
      return sum(metric.replace(/^mrr_/, ""));
    });
  }
  return {
    metric,
    grain: params.grain,
    currency: p.currency,
    timezone: p.timezone,
    from: p.from,
    to: p.to,
    points: buckets.map((b, i) => ({ period: b.period, to: b.to, value: values[i] ?? null })),
  };
}

type DailyTable = typeof snapDailyLedger | typeof snapDailyOrders | typeof snapDailyMrr;

/** Numeric columns of a daily snapshot table by day (`YYYY-MM-DD`) over the scope's days, keyed as `fields`. */
async function daily<T extends DailyTable>(
  db: Db,
  t: T,
  s: Scope,
  fields: Record<string, Column>,
): Promise<Daily> {
  const rows = await db
    .select({ day: t.day, ...fields })
    .from(t as DailyTable)
    .where(inDays(t, s, s.from, s.to));
  const map: Daily = new Map();
  for (const { day, ...rest } of rows) map.set(day, rest as Record<string, number>);
  return map;
}

const l = snapDailyLedger;
const o = snapDailyOrders;
const m = snapDailyMrr;

const ledgerDaily = (db: Db, s: Scope) =>
  daily(db, l, s, {
    gross_revenue: l.grossRevenue,
    refunds: l.refunds,
    disputes: l.disputes,
    disputes_lost: l.disputesLost,
    fees: l.fees,
    fees_known: l.feesKnown,
  });

const ordersDaily = (db: Db, s: Scope) =>
  daily(db, o, s, { orders: o.orders, order_revenue: o.orderRevenue, new_customers: o.newCustomers });

const movementsDaily = (db: Db, s: Scope) =>
  daily(db, m, s, {
    new: m.newMrr,
    expansion: m.expansion,
    contraction: m.contraction,
    churn: m.churn,
    reactivation: m.reactivation,
  });

/** MRR, subscribers and paying subscriptions at the end of every day: the start value carried over the daily totals. */
async function stockDaily(db: Db, s: Scope): Promise<Daily> {
  const start = await mrrAtEndOf(db, s, addDays(s.from, -1));
  const totals = await daily(db, m, s, {
    mrr: m.mrr,
    subscribers: m.subscribers,
    subscriptions: m.subscriptions,
  });
  const result: Daily = new Map();
  let current: Record<string, number> = {
    mrr: start.mrr,
    subscribers: start.subscribers,
    subscriptions: start.subscriptions,
  };
  for (const day of bucketsOf(s.from, s.to, "day").map((b) => b.period)) {
    current = totals.get(day) ?? current;
    result.set(day, current);
  }
  return result;
}
