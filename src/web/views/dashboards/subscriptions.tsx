import type { CohortRow, Kpis, MonthMovements } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { CHART_BASE, Chart, ChartDataTable } from "../components/chart.tsx";
import { money } from "../components/format.ts";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { major } from "./charts.ts";
import { CohortHeatmap } from "./cohort-heatmap.tsx";
import { KpiGrid } from "./kpi-grid.tsx";
import type { DashboardRange } from "./range.ts";

export interface SubscriptionsData {
  range: DashboardRange;
  currency: string;
  currencies: string[];
  current: Kpis;
  previous: Kpis;
  /** The 12 calendar months ending with the range's last day. */
  months: MonthMovements[];
  cohorts: CohortRow[];
}

const TYPES = [
  { key: "new", name: "New", color: "#2346c7", sign: 1 },
  { key: "expansion", name: "Expansion", color: "#11703d", sign: 1 },
  { key: "reactivation", name: "Reactivation", color: "#0e7490", sign: 1 },
  { key: "contraction", name: "Contraction", color: "#9a5b00", sign: -1 },
  { key: "churn", name: "Churn", color: "#b42318", sign: -1 },
] as const;

export function SubscriptionsPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  data: SubscriptionsData;
}) {
  const { data } = props;
  const cur = data.currency;
  const table = {
    columns: ["Month", "MRR at start", ...TYPES.map((t) => t.name), "Net", "MRR at end"],
    numeric: [false, true, ...TYPES.map(() => true), true, true],
    rows: data.months.map((m) => [
      m.month,
      money(m.mrr_start, cur),
      ...TYPES.map((t) => (t.sign < 0 && m[t.key] ? `−${money(m[t.key], cur)}` : money(m[t.key], cur))),
      m.net < 0 ? `−${money(-m.net, cur)}` : money(m.net, cur),
      money(m.mrr_end, cur),
    ]),
  };
  const option = {
    ...CHART_BASE,
    xAxis: { type: "category", data: data.months.map((m) => m.month) },
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#eef1f5" } } },
    series: TYPES.map((t) => ({
      name: t.name,
      type: "bar",
      stack: "movements",
      itemStyle: { color: t.color },
      data: data.months.map((m) => (major(m[t.key], cur) ?? 0) * t.sign),
    })),
  };
  return (
    <Layout
      title="Subscriptions"
      user={props.user}
      csrfToken={props.csrfToken}
      path="/dashboard/subscriptions"
      charts
    >
      <div class="page-head">
        <div>
          <h1>Subscriptions</h1>
          <p class="muted">Recurring revenue, churn and retention in {cur.toUpperCase()}.</p>
        </div>
        <RangeSelector
          path="/dashboard/subscriptions"
          range={data.range}
          currencies={data.currencies}
          currency={cur}
        />
      </div>
      <KpiGrid
        title="Recurring revenue at the end of the period"
        keys={["mrr", "arr", "subscribers", "arpa"]}
        current={data.current}
        previous={data.previous}
      />
      <KpiGrid
        title="Churn and retention over the period"
        keys={[
          "customer_churn_rate",
          "revenue_churn_rate",
          "net_revenue_retention",
          "gross_revenue_retention",
        ]}
        current={data.current}
        previous={data.previous}
      />
      <section class="panel">
        <h2>MRR movements by month</h2>
        <p class="muted">
          The 12 months to {data.range.to}; each month's net equals its MRR at end minus at start.
        </p>
        <Chart title={`MRR movements stacked by type (${cur.toUpperCase()})`} option={option} table={table} />
        <h3 class="table-title">Movements table</h3>
        <ChartDataTable table={table} class="movements-table" />
      </section>
      <section class="panel">
        <h2>Cohort retention</h2>
        <p class="muted">
          Customers grouped by the month of their first paid order; M<i>k</i> is the share with a paid order{" "}
          <i>k</i> months later. <a href="/docs/kpis#cohort_retention">Definition</a>
        </p>
        <CohortHeatmap cohorts={data.cohorts} />
      </section>
    </Layout>
  );
}
