import type { Kpis, Series } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { Chart } from "../components/chart.tsx";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { moneyChart } from "./charts.ts";
import { CurrencyNotices, currencyLead } from "./currency-notices.tsx";
import { type CurrencyView, pickerOf } from "./currency-view.ts";
import { KpiGrid } from "./kpi-grid.tsx";

export interface ExecutiveData extends CurrencyView {
  current: Kpis;
  previous: Kpis;
  series: Record<
    | "net_revenue"
    | "refunds"
    | "mrr"
    | "mrr_new"
    | "mrr_expansion"
    | "mrr_reactivation"
    | "mrr_contraction"
    | "mrr_churn",
    Series
  >;
}

/** The executive dashboard's series, per currency and in the converted view. */
export const EXECUTIVE_SERIES: Array<keyof ExecutiveData["series"]> = [
  "net_revenue",
  "refunds",
  "mrr",
  "mrr_new",
  "mrr_expansion",
  "mrr_reactivation",
  "mrr_contraction",
  "mrr_churn",
];

export function ExecutivePage(props: { user: SessionUser | null; csrfToken: string; data: ExecutiveData }) {
  const { data } = props;
  return (
    <Layout title="Executive overview" user={props.user} csrfToken={props.csrfToken} path="/dashboard" charts>
      <div class="page-head">
        <div>
          <h1>Executive overview</h1>
          <p class="muted">{currencyLead(data, "Revenue, customers and recurring revenue")}</p>
        </div>
        <RangeSelector path="/dashboard" range={data.range} {...pickerOf(data)} />
      </div>
      <CurrencyNotices path="/dashboard" view={data} />
      {data.hasData ? <ExecutiveFigures data={data} /> : null}
    </Layout>
  );
}

function ExecutiveFigures({ data }: { data: ExecutiveData }) {
  const marks = { grain: data.range.grain, today: data.range.today };
  const revenue = moneyChart(
    data.currency,
    [
      { name: "Net revenue", series: data.series.net_revenue, color: "#2346c7" },
      { name: "Refunds", series: data.series.refunds, color: "#b42318", negative: true },
    ],
    marks,
    data.converted !== undefined,
  );
  const mrr = moneyChart(
    data.currency,
    [
      { name: "New", series: data.series.mrr_new, stack: "mv", color: "#2346c7" },
      { name: "Expansion", series: data.series.mrr_expansion, stack: "mv", color: "#11703d" },
      { name: "Reactivation", series: data.series.mrr_reactivation, stack: "mv", color: "#0e7490" },
      {
        name: "Contraction",
        series: data.series.mrr_contraction,
        stack: "mv",
        negative: true,
        color: "#9a5b00",
      },
      { name: "Churn", series: data.series.mrr_churn, stack: "mv", negative: true, color: "#b42318" },
      { name: "MRR", series: data.series.mrr, type: "line", axis: 1, color: "#14181f" },
    ],
    marks,
    data.converted !== undefined,
  );
  return (
    <>
      <KpiGrid
        title="Revenue"
        keys={[
          "net_revenue",
          "gross_revenue",
          "refunds",
          "disputes",
          "disputes_lost",
          "orders",
          "aov",
          "new_customers",
          "repeat_customer_rate",
        ]}
        current={data.current}
        previous={data.previous}
        converted={data.converted !== undefined}
      />
      <KpiGrid
        title="Recurring revenue"
        keys={["mrr", "arr", "customer_churn_rate", "net_revenue_retention", "gross_revenue_retention"]}
        current={data.current}
        previous={data.previous}
        converted={data.converted !== undefined}
      />
      <div class="grid two">
        <section class="panel">
          <Chart
            title={`Net revenue and refunds (${data.currency.toUpperCase()})`}
            option={revenue.option}
            table={revenue.table}
          />
          {revenue.note ? <p class="muted chart-note">{revenue.note}</p> : null}
        </section>
        <section class="panel">
          <Chart
            title={`MRR and its movements by type (${data.currency.toUpperCase()})`}
            option={mrr.option}
            table={mrr.table}
          />
          {mrr.note ? <p class="muted chart-note">{mrr.note}</p> : null}
        </section>
      </div>
    </>
  );
}
