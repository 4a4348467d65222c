import type { RecordKpi } from "../../../analytics/index.ts";
import { can, type Permission, type Role } from "../../../auth/index.ts";

type Dashboard = Extract<Permission, `dashboard.${string}`>;

/**
 * The dashboards that show each figure (tiles, chart bars and points, table cells). A role sees the
 * records of a figure when it may open one of them; roles with the KPI API (`kpis.read`) read
 * every figure anyway, so they see every figure's records.
 */
export const FIGURE_DASHBOARDS: Record<RecordKpi, readonly Dashboard[]> = {
  gross_revenue: ["dashboard.executive"],
  refunds: ["dashboard.executive", "dashboard.ops"],
  refunds_by_reason: ["dashboard.ops"],
  net_revenue: ["dashboard.executive"],
  disputes: ["dashboard.executive", "dashboard.ops"],
  disputes_lost: ["dashboard.executive"],
  fees: [],
  orders: ["dashboard.executive"],
  order_revenue: [],
  aov: ["dashboard.executive"],
  customers: [],
  new_customers: ["dashboard.executive"],
  repeat_customer_rate: ["dashboard.executive"],
  mrr: ["dashboard.executive", "dashboard.subscriptions"],
  arr: ["dashboard.executive", "dashboard.subscriptions"],
  active_subscriptions: ["dashboard.subscriptions"],
  subscribers: ["dashboard.subscriptions"],
  arpa: ["dashboard.subscriptions"],
  "mrr_movements.new": ["dashboard.executive", "dashboard.subscriptions"],
  "mrr_movements.expansion": ["dashboard.executive", "dashboard.subscriptions"],
  "mrr_movements.contraction": ["dashboard.executive", "dashboard.subscriptions"],
  "mrr_movements.churn": ["dashboard.executive", "dashboard.subscriptions"],
  "mrr_movements.reactivation": ["dashboard.executive", "dashboard.subscriptions"],
  "mrr_movements.net": ["dashboard.executive", "dashboard.subscriptions"],
  customer_churn_rate: ["dashboard.executive", "dashboard.subscriptions"],
  revenue_churn_rate: ["dashboard.subscriptions"],
  net_revenue_retention: ["dashboard.executive", "dashboard.subscriptions"],
  gross_revenue_retention: ["dashboard.executive", "dashboard.subscriptions"],
  product_units: ["dashboard.products"],
  product_revenue: ["dashboard.products"],
  cohort_retention: ["dashboard.subscriptions"],
  subscriber_cohort: ["dashboard.subscriptions"],
  subscriber_cohort_mrr: ["dashboard.subscriptions"],
  product_cost: ["dashboard.products"],
  product_margin: ["dashboard.products"],
  product_margin_rate: ["dashboard.products"],
  plan_mrr: ["dashboard.subscriptions"],
  plan_mrr_start: ["dashboard.subscriptions"],
  stock_on_hand: ["dashboard.products"],
  stock_preorders: ["dashboard.products"],
  stock_available: ["dashboard.products"],
};

/** `records.view` plus a dashboard that shows the figure (or the KPI API). */
export function canSeeRecords(role: Role | null | undefined, kpi: RecordKpi): boolean {
  if (!can(role, "records.view")) return false;
  return can(role, "kpis.read") || FIGURE_DASHBOARDS[kpi].some((d) => can(role, d));
}
