import { rate, roundedMean } from "./core/rates.ts";
import type { MrrPeriod } from "./mrr/period.ts";
import type { Kpis } from "./types.ts";

export interface LedgerTotals {
  grossRevenue: number;
  refunds: number;
  /** Chargebacks opened (inquiries excluded). */
  disputes: number;
  /** Disputes first seen lost in the period. */
  disputesLost: number;
  fees: number;
  feesKnown: number;
}

export interface OrderTotals {
  orders: number;
  orderRevenue: number;
  customers: number;
  newCustomers: number;
  repeatCustomers: number;
}

export interface ResolvedParams {
  from: string;
  to: string;
  timezone: string;
  currency: string;
  livemode: boolean;
}

/** The `kpis` JSON in kpis.md's key order, with every derived value computed in one place. */
export function assembleKpis(p: ResolvedParams, l: LedgerTotals, o: OrderTotals, m: MrrPeriod): Kpis {
  const mv = m.movements;
  // Churn and retention are over the starting customers only (kpis.md v2).
  const r = m.retention;
  return {
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    currency: p.currency,
    gross_revenue: l.grossRevenue,
    refunds: l.refunds,
    net_revenue: l.grossRevenue - l.refunds - l.disputesLost,
    disputes: l.disputes,
    disputes_lost: l.disputesLost,
    fees: l.feesKnown > 0 ? l.fees : null,
    orders: o.orders,
    order_revenue: o.orderRevenue,
    aov: roundedMean(o.orderRevenue, o.orders),
    customers: o.customers,
    new_customers: o.newCustomers,
    repeat_customer_rate: rate(o.repeatCustomers, o.customers),
    mrr: m.mrrEnd,
    arr: m.mrrEnd * 12,
    active_subscriptions: m.activeSubscriptions,
    subscribers: m.subscribersEnd,
    arpa: roundedMean(m.mrrEnd, m.subscribersEnd),
    mrr_movements: {
      new: mv.new,
      expansion: mv.expansion,
      contraction: mv.contraction,
      churn: mv.churn,
      reactivation: mv.reactivation,
      net: mv.net,
    },
    customer_churn_rate: rate(r.churnedCustomers, r.startingCustomers),
    revenue_churn_rate: rate(r.mrrLost, r.mrrStart),
    net_revenue_retention: rate(r.mrrEnd, r.mrrStart),
    gross_revenue_retention: rate(r.mrrKept, r.mrrStart),
  };
}
