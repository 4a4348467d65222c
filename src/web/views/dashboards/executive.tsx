import type { Kpis, MissingRates, Series } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { Chart } from "../components/chart.tsx";
import { NoCurrencyData } from "../components/no-data.tsx";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { moneyChart } from "./charts.ts";
import { KpiGrid } from "./kpi-grid.tsx";
import type { DashboardRange } from "./range.ts";

export interface ExecutiveData {
  range: DashboardRange;
  currency: string;
  currencies: string[];
  /** Currencies with data in the range; without data for `currency` the page says so. */
  withData: string[];
  hasData: boolean;
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
  /** The converted view's currency, offered in the picker as "All currencies (in …)". */
  reportingCurrency?: string;
  /** Set in the converted view ("All currencies"): the reporting currency and the rates it lacks. */
  converted?: { reportingCurrency: string; missing: MissingRates[]; source: string | null };
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
          <p class="muted">
            {data.converted
              ? `Revenue, customers and recurring revenue of every currency, converted into ${data.currency.toUpperCase()} at each day's rate.`
              : `Revenue, customers and recurring revenue in ${data.currency.toUpperCase()}.`}
          </p>
        </div>
        <RangeSelector
          path="/dashboard"
          range={data.range}
          currencies={data.currencies}
          currency={data.converted ? "all" : data.currency}
          reportingCurrency={data.converted?.reportingCurrency ?? data.reportingCurrency}
        />
      </div>
      {data.converted && data.converted.missing.length > 0 ? (
        <MissingRatesNotice missing={data.converted.missing} />
      ) : null}
      {data.hasData ? null : (
        <NoCurrencyData
          path="/dashboard"
          range={data.range}
          currency={data.currency}
          withData={data.withData}
        />
      )}
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
        drillDown={!data.converted}
      />
      <KpiGrid
        title="Recurring revenue"
        keys={["mrr", "arr", "customer_churn_rate", "net_revenue_retention", "gross_revenue_retention"]}
        current={data.current}
        previous={data.previous}
        drillDown={!data.converted}
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

/** Missing rates never become zeros: the figures that need them are empty, and this says why and how to fix it. */
function MissingRatesNotice({ missing }: { missing: MissingRates[] }) {
  return (
    <section class="panel no-data" data-missing-rates={missing.map((m) => m.pair).join(",")}>
      <h2>Exchange rates missing</h2>
      <p>Figures that need these rates are left empty, not counted as zero:</p>
      <ul>
        {missing.map((m) => (
          <li>
            {m.pair}: {m.days.length} day(s), {m.days[0]} to {m.days[m.days.length - 1]}
          </li>
        ))}
      </ul>
      <p>
        Import them with <code>revintel fx import eurofxref-hist.csv</code> (the ECB reference rates); in
        Stripe mode <code>revintel stripe sync</code> also records Stripe's realised rates.
      </p>
    </section>
  );
}
