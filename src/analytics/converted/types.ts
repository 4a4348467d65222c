import type { ConvertedMovements } from "./core.ts";

/** Which data the converted view reads: a period, the reporting currency, one Stripe mode. */
export interface ConvertedParams {
  from: string;
  to: string;
  /** Default: `ctx.config.reportingCurrency`, else the shop's main currency. */
  reportingCurrency?: string;
  timezone?: string;
  livemode?: boolean;
}

/** Pairs and days with no rate on or before them (the KPIs that need them are null). */
export interface MissingRates {
  /** "JPY/USD": units of the reporting currency per unit of the source currency. */
  pair: string;
  days: string[];
}

/**
 * The `kpis` JSON of the converted view (kpis.md "Reporting currency"): the same keys, money in the
 * reporting currency (null when a rate is missing), a sixth movement `fx`, and where the rates came from.
 */
export interface ConvertedKpis {
  from: string;
  to: string;
  timezone: string;
  currency: "all";
  reporting_currency: string;
  gross_revenue: number | null;
  refunds: number | null;
  net_revenue: number | null;
  disputes: number | null;
  disputes_lost: number | null;
  fees: number | null;
  orders: number;
  order_revenue: number | null;
  aov: number | null;
  customers: number;
  new_customers: number;
  repeat_customer_rate: number | null;
  mrr: number | null;
  arr: number | null;
  active_subscriptions: number;
  subscribers: number;
  arpa: number | null;
  mrr_movements: ConvertedMovements | null;
  customer_churn_rate: number | null;
  revenue_churn_rate: number | null;
  net_revenue_retention: number | null;
  gross_revenue_retention: number | null;
  fx: {
    /** `stripe`, `imported` (an imported file or the demo's seeded rates), `mixed`; null when no rate was needed. */
    source: "stripe" | "imported" | "mixed" | null;
    missing_days: number;
    missing: MissingRates[];
  };
}
