import { and, between, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { loadRateBook } from "../../fx/index.ts";
import { roundedMean } from "../core/rates.ts";
import { bucketsOf } from "../queries/buckets.ts";
import { snapDailyOrders } from "../schema.ts";
import type { Grain, SeriesMetric, SeriesPoint } from "../types.ts";
import type { AmountKind } from "./amounts.ts";
import { type ConvertResult, convertPeriod } from "./core.ts";
import { crossCurrencyCounts, resolveConverted, snapshotAmounts, snapshotSubscriptionMrr } from "./load.ts";
import type { ConvertedParams, MissingRates } from "./types.ts";

export interface ConvertedSeries {
  metric: SeriesMetric;
  grain: Grain;
  currency: "all";
  reporting_currency: string;
  timezone: string;
  from: string;
  to: string;
  points: SeriesPoint[];
  fx: { missing: MissingRates[] };
}

const LEDGER: Partial<Record<SeriesMetric, AmountKind>> = {
  gross_revenue: "gross",
  refunds: "refund",
  disputes: "dispute",
  disputes_lost: "dispute_lost",
  order_revenue: "order",
};

/**
 * One metric of the converted view over time (`/api/v1/series?currency=all`): flows are the sums of
 * the bucket's converted days, stocks the value at the bucket's end; `mrr_net` includes `fx`. A
 * bucket that needs a missing rate is null.
 */
export async function getConvertedSeries(
  ctx: ServiceContext,
  params: ConvertedParams & { metric: SeriesMetric; grain: Grain },
): Promise<ConvertedSeries> {
  const db = ctx.readDb;
  const p = await resolveConverted(ctx, params);
  const buckets = bucketsOf(p.from, p.to, params.grain);
  const [amounts, subscriptions] = await Promise.all([
    snapshotAmounts(db, p),
    snapshotSubscriptionMrr(db, p),
  ]);
  const currencies = [...new Set([...amounts, ...subscriptions].map((r) => r.currency))];
  const book = await loadRateBook({ db }, [...currencies, p.reporting], p.to);
  const r = convertPeriod({ from: p.from, to: p.to, reporting: p.reporting, book, amounts, subscriptions });
  const metric = params.metric;
  let values: Array<number | null>;
  if (metric === "customers" || metric === "new_customers") {
    values = [];
    for (const b of buckets) {
      const counts = await crossCurrencyCounts(db, { ...p, from: b.period, to: b.to });
      values.push(metric === "customers" ? counts.customers : counts.newCustomers);
    }
  } else if (metric === "orders" || metric === "aov") {
    const o = snapDailyOrders;
    const rows = await db
      .select({ day: o.day, orders: sql<number>`sum(${o.orders})::bigint` })
      .from(o)
      .where(and(eq(o.livemode, p.livemode), between(o.day, p.from, p.to)))
      .groupBy(o.day);
    const orders = new Map(rows.map((row) => [row.day, row.orders]));
    values = buckets.map((b) => {
      const count = b.days.reduce((s, d) => s + (orders.get(d) ?? 0), 0);
      if (metric === "orders") return count;
      const revenue = sumKind(r, b.days, "order");
      return revenue === null ? null : roundedMean(revenue, count);
    });
  } else {
    values = buckets.map((b) => bucketValue(r, metric, b.days, b.to));
  }
  return {
    metric,
    grain: params.grain,
    currency: "all",
    reporting_currency: p.reporting,
    timezone: p.timezone,
    from: p.from,
    to: p.to,
    points: buckets.map((b, i) => ({ period: b.period, to: b.to, value: values[i] ?? null })),
    fx: { missing: [...r.missing].map(([pair, days]) => ({ pair, days: [...days].sort() })) },
  };
}

function sumKind(r: ConvertResult, days: string[], kind: AmountKind): number | null {
  let sum = 0;
  for (const d of days) {
    const v = r.ledgerByDay.get(d)?.[kind];
    if (v === null) return null;
    sum += v ?? 0;
  }
  return sum;
}

function bucketValue(r: ConvertResult, metric: SeriesMetric, days: string[], end: string): number | null {
  const kind = LEDGER[metric];
  if (kind) return sumKind(r, days, kind);
  if (metric === "net_revenue") {
    const [g, f, l] = [
      sumKind(r, days, "gross"),
      sumKind(r, days, "refund"),
      sumKind(r, days, "dispute_lost"),
    ];
    return g === null || f === null || l === null ? null : g - f - l;
  }
  if (metric === "fees") {
    const known = days.some((d) => r.ledgerByDay.get(d)?.fee !== undefined);
    return known ? sumKind(r, days, "fee") : null;
  }
  if (metric === "subscribers") return r.countsByDay.get(end)?.subscribers ?? 0;
  if (metric === "active_subscriptions") return r.countsByDay.get(end)?.subscriptions ?? 0;
  if (!r.mrr) return null;
  if (metric === "mrr") return r.mrr.byDay.get(end)!.mrr;
  if (metric === "arr") return r.mrr.byDay.get(end)!.mrr * 12;
  const key = metric.replace(/^mrr_/, "") as
    | "new"
    | "expansion"
    | "contraction"
    | "churn"
    | "reactivation"
    | "net";
  return days.reduce((s, d) => s + r.mrr!.byDay.get(d)!.movements[key], 0);
}
