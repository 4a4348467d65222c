import { rate, roundedMean } from "../core/rates.ts";
import type { ConvertResult } from "./core.ts";
import type { CrossCurrencyCounts, ResolvedConverted } from "./load.ts";
import type { ConvertedKpis } from "./types.ts";

const minus = (...values: Array<number | null>) =>
  values.some((v) => v === null) ? null : (values as number[]).reduce((a, b, i) => (i === 0 ? b : a - b), 0);

/** The converted `kpis` JSON from the converted sums and the cross-currency counts. */
export function assembleConverted(
  p: ResolvedConverted,
  r: ConvertResult,
  counts: CrossCurrencyCounts,
): ConvertedKpis {
  const l = r.ledger;
  const m = r.mrr;
  const missing = [...r.missing].map(([pair, days]) => ({ pair, days: [...days].sort() }));
  missing.sort((a, b) => (a.pair < b.pair ? -1 : 1));
  const stripe = r.sources.has("stripe_balance_transaction");
  const imported = r.sources.has("import") || r.sources.has("seed");
  return {
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    currency: "all",
    reporting_currency: p.reporting,
    gross_revenue: l.gross,
    refunds: l.refund,
    net_revenue: minus(l.gross, l.refund, l.dispute_lost),
    disputes: l.dispute,
    disputes_lost: l.dispute_lost,
    fees: r.feeRecords > 0 ? l.fee : null,
    orders: counts.orders,
    order_revenue: l.order,
    aov: l.order === null ? null : roundedMean(l.order, counts.orders),
    customers: counts.customers,
    new_customers: counts.newCustomers,
    repeat_customer_rate: rate(counts.repeatCustomers, counts.customers),
    mrr: m ? m.mrrEnd : null,
    arr: m ? m.mrrEnd * 12 : null,
    active_subscriptions: r.activeSubscriptions,
    subscribers: r.subscribersEnd,
    arpa: m ? roundedMean(m.mrrEnd, r.subscribersEnd) : null,
    mrr_movements: m ? m.movements : null,
    customer_churn_rate: rate(r.churnedCustomers, r.startingCustomers),
    revenue_churn_rate: m ? rate(m.retention.mrrLost, m.retention.mrrStart) : null,
    net_revenue_retention: m ? rate(m.retention.mrrEnd, m.retention.mrrStart) : null,
    gross_revenue_retention: m ? rate(m.retention.mrrKept, m.retention.mrrStart) : null,
    fx: {
      source: stripe && imported ? "mixed" : stripe ? "stripe" : imported ? "imported" : null,
      missing_days: new Set(missing.flatMap((x) => x.days)).size,
      missing,
    },
  };
}
