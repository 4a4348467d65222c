import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { roundedMean } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import type { Series, SeriesMetric, SeriesParams } from "../types.ts";
import { bucketsOf } from "./buckets.ts";
import { gapCount } from "./gaps.ts";
import { mrrAtEndOf } from "./mrr-from-snapshots.ts";

type Daily = Map<string, Record<string, number>>;
interface Scope {
  from: string;
  to: string;
  currency: string;
  livemode: boolean;
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
export async function getSeries(db: Db, params: SeriesParams): Promise<Series> {
  const p = await resolveParams(db, params, "snapshots");
  const buckets = bucketsOf(p.from, p.to, params.grain);
  const metric = params.metric;
  let values: Array<number | null>;
  if (metric === "customers") {
    // Distinct customers within each bucket, from the gap counts (one probe per day).
    const froms = `{${buckets.map((b) => b.days[0]).join(",")}}`;
    const tos = `{${buckets.map((b) => b.to).join(",")}}`;
    const rows = await queryRows<{ n: number | string }>(
      db,
      sql`SELECT ${gapCount(p, "reach", sql`b.f`, sql`b.t`)} AS n
          FROM unnest(${froms}::date[], ${tos}::date[]) WITH ORDINALITY AS b(f, t, idx)
          ORDER BY b.idx`,
    );
    values = rows.map((r) => Number(r.n));
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

async function daily(db: Db, query: ReturnType<typeof sql>): Promise<Daily> {
  const map: Daily = new Map();
  for (const row of await queryRows<Record<string, string | number>>(db, query)) {
    const { day, ...rest } = row;
    map.set(String(day), Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)])));
  }
  return map;
}

const ledgerDaily = (db: Db, s: Scope) =>
  daily(
    db,
    sql`SELECT day::text AS day, gross_revenue, refunds, disputes, disputes_lost, fees, fees_known FROM snap_daily_ledger
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );

const ordersDaily = (db: Db, s: Scope) =>
  daily(
    db,
    sql`SELECT day::text AS day, orders, order_revenue, new_customers FROM snap_daily_orders
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );

const movementsDaily = (db: Db, s: Scope) =>
  daily(
    db,
    sql`SELECT day::text AS day, new_mrr AS new, expansion, contraction, churn, reactivation
        FROM snap_daily_mrr
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );

/** MRR, subscribers and paying subscriptions at the end of every day: the start value carried over the daily totals. */
async function stockDaily(db: Db, s: Scope): Promise<Daily> {
  const start = await mrrAtEndOf(db, s, addDays(s.from, -1));
  const totals = await daily(
    db,
    sql`SELECT day::text AS day, mrr, subscribers, subscriptions
        FROM snap_daily_mrr
        WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND day BETWEEN ${s.from}::date AND ${s.to}::date`,
  );
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
