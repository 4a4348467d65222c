import type { MrrMovements } from "./core/movements.ts";

/** Which data a KPI reads: a period of whole reporting days, one currency, one Stripe mode. */
export interface KpiParams {
  /** First day, "YYYY-MM-DD", inclusive. */
  from: string;
  /** Last day, "YYYY-MM-DD", inclusive. */
  to: string;
  /** ISO currency (lower case, as Stripe sends it); default: `defaultCurrency`. */
  currency?: string;
  /** IANA zone the days are cut in; default: `ctx.config.reportingTimezone` (REPORTING_TIMEZONE). */
  timezone?: string;
  /** Only rows of this Stripe mode count (`ctx.config.livemode`); default false (test mode). */
  livemode?: boolean;
}

/** The `kpis` JSON of kpis.md: same keys, same order. */
export interface Kpis {
  from: string;
  to: string;
  timezone: string;
  currency: string;
  gross_revenue: number;
  refunds: number;
  net_revenue: number;
  disputes: number;
  disputes_lost: number;
  fees: number | null;
  orders: number;
  order_revenue: number;
  aov: number | null;
  customers: number;
  new_customers: number;
  repeat_customer_rate: number | null;
  mrr: number;
  arr: number;
  active_subscriptions: number;
  subscribers: number;
  arpa: number | null;
  mrr_movements: MrrMovements;
  customer_churn_rate: number | null;
  revenue_churn_rate: number | null;
  net_revenue_retention: number | null;
  gross_revenue_retention: number | null;
}

export type { MrrMovements };

export interface SnapshotRange {
  from: string;
  to: string;
  /** Default: `ctx.config.reportingTimezone`. */
  timezone?: string;
}

export interface BuildResult {
  /** Days rebuilt. */
  days: number;
  /** Snapshot rows written in total. */
  rows: number;
}

export const SERIES_METRICS = [
  "gross_revenue",
  "refunds",
  "net_revenue",
  "disputes",
  "disputes_lost",
  "fees",
  "orders",
  "order_revenue",
  "aov",
  "customers",
  "new_customers",
  "mrr",
  "arr",
  "active_subscriptions",
  "subscribers",
  "mrr_new",
  "mrr_expansion",
  "mrr_contraction",
  "mrr_churn",
  "mrr_reactivation",
  "mrr_net",
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
export type Grain = "day" | "week" | "month";

export interface SeriesParams extends KpiParams {
  metric: SeriesMetric;
  grain: Grain;
}

export interface SeriesPoint {
  /** Bucket start ("YYYY-MM-DD"; weeks start Monday, months on the 1st), clipped to `from`. */
  period: string;
  /** Last day of the bucket, clipped to `to`. */
  to: string;
  /** Flows are summed over the bucket; stocks (mrr, arr, subscribers…) are the value at its end. */
  value: number | null;
}

export interface Series {
  metric: SeriesMetric;
  grain: Grain;
  currency: string;
  timezone: string;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface BestSeller {
  rank: number;
  product_id: number;
  name: string;
  units: number;
  revenue: number;
}

export interface ProductRollup {
  product_id: number;
  name: string;
  units: number;
  /** Line revenue (order_lines.amount_total) of the period's paid orders. */
  revenue: number;
  /** Cost of the units whose unit cost is known; null when none is known. */
  cost: number | null;
  /** Revenue of the costed lines minus their cost; null when no cost is known. */
  margin: number | null;
}

export interface CohortRow {
  /** "YYYY-MM": month of the customers' first paid order. */
  cohort: string;
  size: number;
  /** Index k = months after the cohort month (0 = the cohort month itself). */
  retention: Array<{ month: number; customers: number; rate: number | null }>;
}

/** One plan's part of MRR (see getMrrByPlan). */
export interface PlanMrr {
  /** The Stripe price id ("unknown" for items stored without one). */
  plan_id: string;
  name: string;
  /** At the end of the period. */
  mrr: number;
  /** At the start of the period (the end of the day before `from`). */
  mrr_start: number;
  /** Subscriptions with a part of their MRR > 0 on this plan at the end of the period. */
  subscriptions: number;
  /** `mrr` ÷ the MRR of all plans at the end of the period. */
  share: number | null;
}

/** Subscribers grouped by the month their customer MRR first rose above 0 (see getSubscriberCohorts). */
export interface SubscriberCohortRow {
  /** "YYYY-MM": month of the customers' `new` MRR movement. */
  cohort: string;
  /** Customers in the cohort. */
  subscribers: number;
  /** Their starting MRR: the sum of their `new` movements. */
  mrr: number;
  /** k = months after the cohort month (0 = the cohort month), each taken at the month's end. */
  retention: Array<{
    month: number;
    /** Cohort customers with MRR > 0 at the end of month k. */
    subscribers: number;
    subscriber_rate: number | null;
    /** Their MRR then. */
    mrr: number;
    /** `mrr` ÷ starting MRR (may exceed 1). */
    mrr_rate: number | null;
  }>;
}

export interface MonthMovements extends MrrMovements {
  /** "YYYY-MM" */
  month: string;
  mrr_start: number;
  mrr_end: number;
}
