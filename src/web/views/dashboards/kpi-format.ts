import type { Kpis } from "../../../analytics/index.ts";
import type { DeltaKind } from "../components/delta.ts";
import { count, money, percent } from "../components/format.ts";

export type KpiKey = Exclude<keyof Kpis, "from" | "to" | "timezone" | "currency" | "mrr_movements">;

export interface KpiSpec {
  key: KpiKey;
  label: string;
  kind: DeltaKind;
  /** Refunds, disputes and churn going up is bad news. */
  higherIsBetter?: boolean;
}

export const KPI_SPECS: Record<KpiKey, KpiSpec> = {
  net_revenue: { key: "net_revenue", label: "Net revenue", kind: "money" },
  gross_revenue: { key: "gross_revenue", label: "Gross revenue", kind: "money" },
  refunds: { key: "refunds", label: "Refunds", kind: "money", higherIsBetter: false },
  disputes: { key: "disputes", label: "Disputes", kind: "money", higherIsBetter: false },
  disputes_lost: { key: "disputes_lost", label: "Disputes lost", kind: "money", higherIsBetter: false },
  fees: { key: "fees", label: "Stripe fees", kind: "money", higherIsBetter: false },
  orders: { key: "orders", label: "Orders", kind: "count" },
  order_revenue: { key: "order_revenue", label: "Order revenue", kind: "money" },
  aov: { key: "aov", label: "Average order value", kind: "money" },
  customers: { key: "customers", label: "Customers", kind: "count" },
  new_customers: { key: "new_customers", label: "New customers", kind: "count" },
  repeat_customer_rate: { key: "repeat_customer_rate", label: "Repeat customer rate", kind: "rate" },
  mrr: { key: "mrr", label: "MRR", kind: "money" },
  arr: { key: "arr", label: "ARR", kind: "money" },
  active_subscriptions: { key: "active_subscriptions", label: "Active subscriptions", kind: "count" },
  subscribers: { key: "subscribers", label: "Subscribers", kind: "count" },
  arpa: { key: "arpa", label: "ARPA", kind: "money" },
  customer_churn_rate: {
    key: "customer_churn_rate",
    label: "Customer churn",
    kind: "rate",
    higherIsBetter: false,
  },
  revenue_churn_rate: {
    key: "revenue_churn_rate",
    label: "Revenue churn",
    kind: "rate",
    higherIsBetter: false,
  },
  net_revenue_retention: { key: "net_revenue_retention", label: "Net revenue retention", kind: "rate" },
  gross_revenue_retention: { key: "gross_revenue_retention", label: "Gross revenue retention", kind: "rate" },
};

/** The value as the page shows it; the e2e suite compares these strings with `computeKpis`. */
export function formatKpi(key: KpiKey, kpis: Kpis): string {
  const spec = KPI_SPECS[key];
  const value = kpis[key];
  if (spec.kind === "money") return money(value, kpis.currency);
  if (spec.kind === "rate") return percent(value);
  return count(value);
}
