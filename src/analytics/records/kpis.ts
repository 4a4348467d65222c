import { sql } from "drizzle-orm";
import { type Product, stockLevels } from "../../catalog/index.ts";
import { rate } from "../core/rates.ts";
import type { Kpis } from "../types.ts";
import {
  chargeRows,
  cohortRows,
  disputeRows,
  movementRows,
  mrrEndRows,
  netRevenueParts,
  orderLineRows,
  orderRows,
  periodCustomerRows,
  planMrrRows,
  type RecordWindow,
  refundRows,
  type Source,
  startingCustomerRows,
  stockMovementRows,
  subscriberCohortRows,
} from "./sources.ts";

/** How the rows make the figure: their sum, a rounded mean (Σ value ÷ Σ denominator), or a rate. */
export type Combine = "sum" | "mean" | "rate";

/** The part of the snapshots a figure reads (what computeKpis reads for it). */
export type FigurePart =
  | "ledger"
  | "orders"
  | "mrr_end"
  | "movements"
  | "retention"
  | "products"
  | "cohorts"
  | "subscriber_cohorts"
  | "plans"
  | "stock";

export interface RecordKpiSpec {
  combine: Combine;
  part: FigurePart;
  /** The figure is null, not 0, when no row exists (`fees`: unknown rather than none). */
  nullWhenEmpty?: boolean;
  /** The figure is one product's (`product` is then required). */
  perProduct?: boolean;
  /** The figure is one refund reason's (`reason` is then required): the ops dashboard's by-reason table. */
  perReason?: boolean;
  /** The figure is one cohort cell's (`cohort` and `month` are then required). */
  perCohort?: boolean;
  /** The figure is one plan's part of MRR (`plan` is then required): at the end, or at the start. */
  perPlan?: "end" | "start";
  /** What one row is, for the page and docs/kpi_definitions.md. */
  rows: string;
  source(w: RecordWindow): Source;
}

const flow = (query: (w: RecordWindow) => Source["query"]) => (w: RecordWindow) =>
  ({ query: query(w), at: "timestamptz", defaultSort: "date" }) as Source;
const daily = (query: (w: RecordWindow) => Source["query"]) => (w: RecordWindow) =>
  ({ query: query(w), at: "date", defaultSort: "date" }) as Source;
const stock = (query: (w: RecordWindow) => Source["query"]) => (w: RecordWindow) =>
  ({ query: query(w), at: "date", defaultSort: "key" }) as Source;

const MRR_END = "customers with MRR > 0 at the end of the period, with their latest MRR change";
const STARTING = "starting customers (MRR > 0 at the start), MRR at start → at end";

/**
 * Every figure of the `kpis` JSON and the records behind it (`mrr_movements.<type>` for the
 * movements). The rows' `value` column sums to the figure; for means and rates it is the numerator
 * and `denominator` the denominator, combined exactly as computeKpis does.
 */
export const RECORD_KPIS = {
  gross_revenue: {
    combine: "sum",
    part: "ledger",
    rows: "succeeded charges created in the period, captured amount",
    source: flow((w) => chargeRows(w, "captured")),
  },
  refunds: {
    combine: "sum",
    part: "ledger",
    rows: "succeeded refunds created in the period (provisional ones marked)",
    source: flow((w) => refundRows(w)),
  },
  refunds_by_reason: {
    combine: "sum",
    part: "ledger",
    perReason: true,
    rows: "succeeded refunds created in the period with the reason given (none: no reason given)",
    source: flow((w) => refundRows(w, 1, true)),
  },
  net_revenue: {
    combine: "sum",
    part: "ledger",
    rows: "captured charges (+), succeeded refunds (−) and disputes lost (−) of the period",
    source: (w: RecordWindow) => {
      const parts = netRevenueParts(w);
      return {
        query: sql.join(parts, sql` UNION ALL `),
        parts,
        at: "timestamptz",
        defaultSort: "date",
      } as Source;
    },
  },
  disputes: {
    combine: "sum",
    part: "ledger",
    rows: "chargebacks opened in the period (inquiries excluded)",
    source: flow((w) => disputeRows(w, "opened")),
  },
  disputes_lost: {
    combine: "sum",
    part: "ledger",
    rows: "disputes first seen lost in the period",
    source: flow((w) => disputeRows(w, "lost")),
  },
  fees: {
    combine: "sum",
    part: "ledger",
    nullWhenEmpty: true,
    rows: "succeeded charges of the period whose Stripe fee is known, fee as value",
    source: flow((w) => chargeRows(w, "fee")),
  },
  orders: {
    combine: "sum",
    part: "orders",
    rows: "orders paid in the period, 1 each",
    source: flow((w) => orderRows(w, "count")),
  },
  order_revenue: {
    combine: "sum",
    part: "orders",
    rows: "orders paid in the period, their total",
    source: flow((w) => orderRows(w, "total")),
  },
  aov: {
    combine: "mean",
    part: "orders",
    rows: "orders paid in the period: Σ totals ÷ number of orders",
    source: flow((w) => orderRows(w, "mean")),
  },
  customers: {
    combine: "sum",
    part: "orders",
    rows: "customers with a paid order in the period, 1 each",
    source: daily((w) => periodCustomerRows(w, "all")),
  },
  new_customers: {
    combine: "sum",
    part: "orders",
    rows: "customers whose first paid order falls in the period, 1 each",
    source: daily((w) => periodCustomerRows(w, "new")),
  },
  repeat_customer_rate: {
    combine: "rate",
    part: "orders",
    rows: "customers of the period: repeat ones (2+ paid orders by its end) ÷ all",
    source: daily((w) => periodCustomerRows(w, "repeat_rate")),
  },
  mrr: {
    combine: "sum",
    part: "mrr_end",
    rows: `${MRR_END}, MRR as value`,
    source: stock((w) => mrrEndRows(w, "mrr")),
  },
  arr: {
    combine: "sum",
    part: "mrr_end",
    rows: `${MRR_END}, MRR × 12 as value`,
    source: stock((w) => mrrEndRows(w, "arr")),
  },
  active_subscriptions: {
    combine: "sum",
    part: "mrr_end",
    rows: `${MRR_END}, paying subscriptions as value`,
    source: stock((w) => mrrEndRows(w, "subscriptions")),
  },
  subscribers: {
    combine: "sum",
    part: "mrr_end",
    rows: `${MRR_END}, 1 each`,
    source: stock((w) => mrrEndRows(w, "subscribers")),
  },
  arpa: {
    combine: "mean",
    part: "mrr_end",
    rows: `${MRR_END}: Σ MRR ÷ number of customers`,
    source: stock((w) => mrrEndRows(w, "arpa")),
  },
  "mrr_movements.new": {
    combine: "sum",
    part: "movements",
    rows: "customer-days with a new movement, MRR before → after",
    source: daily((w) => movementRows(w, "new")),
  },
  "mrr_movements.expansion": {
    combine: "sum",
    part: "movements",
    rows: "customer-days with an expansion",
    source: daily((w) => movementRows(w, "expansion")),
  },
  "mrr_movements.contraction": {
    combine: "sum",
    part: "movements",
    rows: "customer-days with a contraction",
    source: daily((w) => movementRows(w, "contraction")),
  },
  "mrr_movements.churn": {
    combine: "sum",
    part: "movements",
    rows: "customer-days with a churn",
    source: daily((w) => movementRows(w, "churn")),
  },
  "mrr_movements.reactivation": {
    combine: "sum",
    part: "movements",
    rows: "customer-days with a reactivation",
    source: daily((w) => movementRows(w, "reactivation")),
  },
  "mrr_movements.net": {
    combine: "sum",
    part: "movements",
    rows: "every customer-day whose MRR moved, after − before",
    source: daily((w) => movementRows(w, "net")),
  },
  customer_churn_rate: {
    combine: "rate",
    part: "retention",
    rows: `${STARTING}: churned (MRR 0 at end) ÷ all`,
    source: stock((w) => startingCustomerRows(w, "customer_churn")),
  },
  revenue_churn_rate: {
    combine: "rate",
    part: "retention",
    rows: `${STARTING}: Σ max(0, start − end) ÷ Σ start`,
    source: stock((w) => startingCustomerRows(w, "revenue_churn")),
  },
  net_revenue_retention: {
    combine: "rate",
    part: "retention",
    rows: `${STARTING}: Σ end ÷ Σ start`,
    source: stock((w) => startingCustomerRows(w, "nrr")),
  },
  gross_revenue_retention: {
    combine: "rate",
    part: "retention",
    rows: `${STARTING}: Σ min(start, end) ÷ Σ start`,
    source: stock((w) => startingCustomerRows(w, "grr")),
  },
  product_units: {
    combine: "sum",
    part: "products",
    perProduct: true,
    rows: "lines of the product on orders paid in the period, units as value",
    source: flow((w) => orderLineRows(w, "units")),
  },
  product_revenue: {
    combine: "sum",
    part: "products",
    perProduct: true,
    rows: "lines of the product on orders paid in the period, line revenue as value",
    source: flow((w) => orderLineRows(w, "revenue")),
  },
  cohort_retention: {
    combine: "rate",
    part: "cohorts",
    perCohort: true,
    rows: "customers of the order cohort (first paid order in its month), 1 if they paid again in month k ÷ all",
    source: flow((w) => cohortRows(w)),
  },
  product_cost: {
    combine: "sum",
    part: "products",
    perProduct: true,
    nullWhenEmpty: true,
    rows: "lines of the product on orders paid in the period whose unit cost is known, units × unit cost as value",
    source: flow((w) => orderLineRows(w, "cost")),
  },
  product_margin: {
    combine: "sum",
    part: "products",
    perProduct: true,
    nullWhenEmpty: true,
    rows: "lines of the product on orders paid in the period whose unit cost is known, line revenue − cost as value",
    source: flow((w) => orderLineRows(w, "margin")),
  },
  subscriber_cohort: {
    combine: "rate",
    part: "subscriber_cohorts",
    perCohort: true,
    rows: "customers of the subscriber cohort (MRR first above 0 in its month), 1 if their MRR is above 0 at the end of month k ÷ all",
    source: stock((w) => subscriberCohortRows(w, "subscribers")),
  },
  subscriber_cohort_mrr: {
    combine: "rate",
    part: "subscriber_cohorts",
    perCohort: true,
    rows: "customers of the subscriber cohort, their MRR at the end of month k ÷ their starting MRR (the new movement)",
    source: stock((w) => subscriberCohortRows(w, "mrr")),
  },
  product_margin_rate: {
    combine: "rate",
    part: "products",
    perProduct: true,
    rows: "lines of the product on orders paid in the period whose unit cost is known, line revenue − cost ÷ line revenue (the margin %)",
    source: flow((w) => orderLineRows(w, "margin_rate")),
  },
  plan_mrr: {
    combine: "sum",
    part: "plans",
    perPlan: "end",
    rows: "subscriptions with a part of the plan's MRR at the end of the period, that part as value (MRR split between a subscription's plans by their items' value)",
    source: stock((w) => planMrrRows(w)),
  },
  plan_mrr_start: {
    combine: "sum",
    part: "plans",
    perPlan: "start",
    rows: "subscriptions with a part of the plan's MRR at the start of the period (end of the day before), that part as value",
    source: stock((w) => planMrrRows(w)),
  },
  stock_on_hand: {
    combine: "sum",
    part: "stock",
    perProduct: true,
    rows: "every stock movement of the product to date (opening stock received, units reserved by orders, released, restocked, adjusted), its signed quantity as value: stock on hand now, whatever the period",
    source: flow((w) => stockMovementRows(w, "on_hand")),
  },
  stock_preorders: {
    combine: "sum",
    part: "stock",
    perProduct: true,
    rows: "every stock movement of the product to date, its quantity with the sign turned as value: the units sold beyond the stock received (preorders) now, whatever the period",
    source: flow((w) => stockMovementRows(w, "preorders")),
  },
  stock_available: {
    combine: "sum",
    part: "stock",
    perProduct: true,
    rows: "every stock movement of the product to date, signed, and its preorder limit (the units it may sell below zero): the units it can still sell now, whatever the period",
    source: flow((w) => stockMovementRows(w, "available")),
  },
} satisfies Record<string, RecordKpiSpec>;

export type RecordKpi = keyof typeof RECORD_KPIS;
export const RECORD_KPI_KEYS = Object.keys(RECORD_KPIS) as RecordKpi[];

/** Record sets behind one table cell rather than a KPI of the `kpis` JSON. */
export type CellKpi = ProductKpi | "refunds_by_reason" | CohortKpi | PlanKpi | StockKpi;

/** The stock table's cells: on hand, preorders, can still sell (a product's stock now). */
export type StockKpi = "stock_on_hand" | "stock_preorders" | "stock_available";
export const isStockKpi = (key: RecordKpi): key is StockKpi => key.startsWith("stock_");

/** The stock table's figure behind a stock record set (null: no product, or no preorder limit). */
export function stockFigure(
  product: Pick<Product, "stockOnHand" | "allowPreorder" | "preorderLimit"> | undefined,
  key: StockKpi,
): number | null {
  if (!product) return null;
  const levels = stockLevels(product);
  return {
    stock_on_hand: levels.onHand,
    stock_preorders: levels.preorders,
    stock_available: levels.canStillSell,
  }[key];
}

export type CohortKpi = "cohort_retention" | "subscriber_cohort" | "subscriber_cohort_mrr";
export const isSubscriberCohortKpi = (key: RecordKpi): key is "subscriber_cohort" | "subscriber_cohort_mrr" =>
  key === "subscriber_cohort" || key === "subscriber_cohort_mrr";

export type PlanKpi = "plan_mrr" | "plan_mrr_start";
export const isPlanKpi = (key: RecordKpi): key is PlanKpi => key === "plan_mrr" || key === "plan_mrr_start";

export type ProductKpi =
  | "product_units"
  | "product_revenue"
  | "product_cost"
  | "product_margin"
  | "product_margin_rate";
export const isProductKpi = (key: RecordKpi): key is ProductKpi => key.startsWith("product_");

/** The product rollup's figure behind a product record set (null: no line with a known cost). */
export function productFigure(
  rollup: { units: number; revenue: number; cost: number | null; margin: number | null } | undefined,
  key: ProductKpi,
): number | null {
  // The margin table's Margin %: margin over the revenue of the lines whose cost is known.
  if (key === "product_margin_rate") {
    return !rollup || rollup.margin === null || rollup.cost === null
      ? null
      : rate(rollup.margin, rollup.margin + rollup.cost);
  }
  const field = (
    {
      product_units: "units",
      product_revenue: "revenue",
      product_cost: "cost",
      product_margin: "margin",
    } as const
  )[key];
  if (!rollup) return field === "units" || field === "revenue" ? 0 : null;
  return rollup[field];
}

export function isRecordKpi(key: string): key is RecordKpi {
  return Object.hasOwn(RECORD_KPIS, key);
}

/** The figure of `key` in a `kpis` JSON (movements by `mrr_movements.<type>`; not the product figures). */
export function figureOf(kpis: Kpis, key: Exclude<RecordKpi, CellKpi>): number | null {
  if (key.startsWith("mrr_movements.")) {
    return kpis.mrr_movements[key.slice("mrr_movements.".length) as keyof Kpis["mrr_movements"]];
  }
  return kpis[key as Exclude<RecordKpi, `mrr_movements.${string}` | CellKpi>];
}
