import { addDays } from "../../../analytics/core/periods.ts";
import type { CohortRow, Kpis, PlanMrr, Series, SubscriberCohortRow } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { Chart, ChartDataTable, type ChartTable } from "../components/chart.tsx";
import { count, money, NONE, percent } from "../components/format.ts";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { convertedRecordsHref, recordsHref } from "../records/links.ts";
import { bucketLabel, horizontalBars, major, moneyChart } from "./charts.ts";
import { CohortHeatmap, SubscriberCohortHeatmap } from "./cohort-heatmap.tsx";
import { CurrencyNotices, currencyLead, PerCurrencyOnly } from "./currency-notices.tsx";
import { type CurrencyView, pickerOf } from "./currency-view.ts";
import { KpiGrid } from "./kpi-grid.tsx";
import { periodLabel } from "./range.ts";

export const MOVEMENT_TYPES = [
  { key: "new", name: "New", color: "#2346c7", sign: 1 },
  { key: "expansion", name: "Expansion", color: "#11703d", sign: 1 },
  { key: "reactivation", name: "Reactivation", color: "#0e7490", sign: 1 },
  { key: "contraction", name: "Contraction", color: "#9a5b00", sign: -1 },
  { key: "churn", name: "Churn", color: "#b42318", sign: -1 },
] as const;
/** The converted view's sixth movement: the change of converted MRR from rate changes alone (signed). */
export const CONVERTED_MOVEMENT_TYPES = [
  ...MOVEMENT_TYPES,
  { key: "fx", name: "FX", color: "#6b7280", sign: 1 },
] as const;
type MovementKey = (typeof CONVERTED_MOVEMENT_TYPES)[number]["key"];

export interface SubscriptionsData extends CurrencyView {
  current: Kpis;
  previous: Kpis;
  /** MRR at the end of each bucket of the range (chosen grain). */
  mrr: Series;
  /** Movement totals per bucket of the range (`fx` only in the converted view). */
  movements: Partial<Record<MovementKey, Series>>;
  plans: PlanMrr[];
  /** Order cohorts and subscriber cohorts of the 12 months to the range's last day. */
  cohorts: CohortRow[];
  subscriberCohorts: SubscriberCohortRow[];
}

const signed = (amount: number, currency: string) =>
  amount < 0 ? `−${money(-amount, currency)}` : money(amount, currency);

export function SubscriptionsPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  data: SubscriptionsData;
}) {
  const { data } = props;
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
          <p class="muted">{currencyLead(data, "Recurring revenue, churn and retention")}</p>
        </div>
        <RangeSelector path="/dashboard/subscriptions" range={data.range} {...pickerOf(data)} />
      </div>
      <CurrencyNotices path="/dashboard/subscriptions" view={data} />
      {data.hasData ? <SubscriptionFigures data={data} /> : null}
    </Layout>
  );
}

function SubscriptionFigures({ data }: { data: SubscriptionsData }) {
  const cur = data.currency;
  const { grain, today } = data.range;
  const marks = { grain, today };
  const converted = data.converted !== undefined;
  const types = converted ? CONVERTED_MOVEMENT_TYPES : MOVEMENT_TYPES;
  const movementSeries = (key: MovementKey) => data.movements[key] ?? { ...data.mrr, points: [] };
  const trend = moneyChart(
    cur,
    [{ name: "MRR", series: data.mrr, type: "line", color: "#2346c7" }],
    marks,
    converted,
  );
  const chart = moneyChart(
    cur,
    types.map((t) => ({
      name: t.name,
      series: movementSeries(t.key),
      records: `mrr_${t.key}`,
      stack: "movements",
      color: t.color,
      negative: t.sign < 0,
    })),
    marks,
    converted,
  );
  // MRR at a bucket's start is its end minus its net movement (kpis.md: net = end − start).
  const table: ChartTable = {
    columns: ["Period", "MRR at start", ...types.map((t) => t.name), "Net", "MRR at end"],
    numeric: [false, true, ...types.map(() => true), true, true],
    rows: data.mrr.points.map((p, i) => {
      const values = types.map((t) => movementSeries(t.key).points[i]?.value ?? 0);
      // A converted bucket that lacks a rate is empty, never zeros.
      if (p.value === null || values.some((v) => v === null)) {
        return [bucketLabel(p, grain, today), NONE, ...types.map(() => NONE), NONE, NONE];
      }
      // `|| 0`: no movement is 0, not −0 ("−$0.00")
      const amounts = types.map((t, k) => (values[k] as number) * t.sign || 0);
      const net = amounts.reduce((s, v) => s + v, 0);
      const end = p.value;
      return [
        bucketLabel(p, grain, today),
        money(end - net, cur),
        ...amounts.map((v) => signed(v, cur)),
        signed(net, cur),
        money(end, cur),
      ];
    }),
    // Each cell opens its records: MRR at start is MRR at the end of the day before the bucket.
    links: data.mrr.points.map((p) => {
      const bucket = { from: p.period, to: p.to };
      const dayBefore = addDays(p.period, -1);
      // Converted: MRR at start and at end open each subscription's MRR with its rate, each movement
      // (FX among them) its customers' converted changes and the days' revaluations.
      if (converted) {
        const open = (kpi: string, range: { from: string; to: string }) =>
          convertedRecordsHref(kpi, range, cur);
        return [
          null,
          open("mrr", { from: dayBefore, to: dayBefore }),
          ...types.map((t) => open(`mrr_movements.${t.key}`, bucket)),
          open("mrr_movements.net", bucket),
          open("mrr", bucket),
        ];
      }
      return [
        null,
        recordsHref("mrr", { from: dayBefore, to: dayBefore }, cur),
        ...MOVEMENT_TYPES.map((t) => recordsHref(`mrr_movements.${t.key}`, bucket, cur)),
        recordsHref("mrr_movements.net", bucket, cur),
        recordsHref("mrr", bucket, cur),
      ];
    }),
  };
  const runningMonth = data.range.to >= today ? today.slice(0, 7) : undefined;
  return (
    <>
      <KpiGrid
        title="Recurring revenue at the end of the period"
        keys={["mrr", "arr", "subscribers", "arpa"]}
        current={data.current}
        previous={data.previous}
        converted={converted}
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
        converted={converted}
      />
      <div class="grid two">
        <section class="panel" data-section="mrr-trend">
          <h2>MRR over the period</h2>
          <p class="muted">
            MRR at the end of each {grain}, {periodLabel(data.range)}. <a href="/docs/kpis#mrr">Definition</a>
          </p>
          <Chart title={`MRR by ${grain} (${cur.toUpperCase()})`} option={trend.option} table={trend.table} />
          {trend.note ? <p class="muted chart-note">{trend.note}</p> : null}
        </section>
        <section class="panel" data-section="mrr-by-plan">
          <h2>MRR by plan</h2>
          <p class="muted">
            Each subscription's MRR shared between its plans by their price, at the end of{" "}
            {periodLabel({ from: data.range.to, to: data.range.to })}, against its start.{" "}
            <a href="/docs/kpis#mrr_by_plan">Definition</a>
          </p>
          {converted ? (
            <PerCurrencyOnly path="/dashboard/subscriptions" view={data} what="MRR by plan" />
          ) : (
            <PlanChart plans={data.plans} currency={cur} range={data.range} />
          )}
        </section>
      </div>
      <section class="panel" data-section="movements">
        <h2>MRR movements</h2>
        <p class="muted">
          By {grain}, {periodLabel(data.range)}; each row's net equals its MRR at end minus at start.{" "}
          {converted ? "FX: the change of converted MRR from rate changes alone. " : null}
          <a href="/docs/kpis#mrr_movements">Definition</a>
        </p>
        <Chart
          title={`MRR movements stacked by type (${cur.toUpperCase()})`}
          option={chart.option}
          table={chart.table}
        />
        {chart.note ? <p class="muted chart-note">{chart.note}</p> : null}
        <h3 class="table-title">Movements table</h3>
        <ChartDataTable table={table} class="movements-table" />
      </section>
      <div class="grid two">
        <section class="panel" data-section="subscriber-cohorts">
          <h2>Subscriber cohorts</h2>
          <p class="muted">
            Customers grouped by the month their MRR first rose above zero. M<i>k</i>: at the end of the{" "}
            <i>k</i>-th month after it. <a href="/docs/kpis#subscriber_cohorts">Definition</a>
          </p>
          {converted ? (
            <PerCurrencyOnly path="/dashboard/subscriptions" view={data} what="Subscriber cohorts" />
          ) : (
            <>
              <h3 class="table-title">Subscribers still paying</h3>
              <SubscriberCohortHeatmap
                cohorts={data.subscriberCohorts}
                by="subscribers"
                currency={cur}
                currentMonth={runningMonth}
                to={data.range.to}
              />
              <h3 class="table-title">MRR kept (share of the starting MRR; above 100% with expansion)</h3>
              <SubscriberCohortHeatmap
                cohorts={data.subscriberCohorts}
                by="mrr"
                currency={cur}
                currentMonth={runningMonth}
                to={data.range.to}
              />
            </>
          )}
        </section>
        <section class="panel" data-section="order-cohorts">
          <h2>Order cohorts</h2>
          <p class="muted">
            Customers grouped by the month of their first paid order; M<i>k</i> is the share with a paid order{" "}
            <i>k</i> months later. <a href="/docs/kpis#cohort_retention">Definition</a>
          </p>
          {converted ? (
            <PerCurrencyOnly path="/dashboard/subscriptions" view={data} what="Order cohorts" />
          ) : (
            <CohortHeatmap cohorts={data.cohorts} currentMonth={runningMonth} currency={cur} />
          )}
        </section>
      </div>
    </>
  );
}

/** MRR by plan as horizontal bars (largest on top) with its table. */
function PlanChart(props: { plans: PlanMrr[]; currency: string; range: { from: string; to: string } }) {
  const cur = props.currency;
  if (props.plans.length === 0) return <p class="empty">No plan had MRR in this period.</p>;
  // Each cell's subscriptions: their part of the plan's MRR at the start or at the end.
  const start = props.plans.map((p) => recordsHref("plan_mrr_start", props.range, cur, { plan: p.plan_id }));
  const end = props.plans.map((p) => recordsHref("plan_mrr", props.range, cur, { plan: p.plan_id }));
  const option = horizontalBars(
    props.plans.map((p) => p.name),
    [
      {
        name: "At start",
        color: "#b9c0cb",
        values: props.plans.map((p) => major(p.mrr_start, cur)),
        links: start,
      },
      { name: "At end", color: "#2346c7", values: props.plans.map((p) => major(p.mrr, cur)), links: end },
    ],
    { top: 32 },
  );
  const table: ChartTable = {
    columns: ["Plan", "MRR at start", "MRR at end", "Change", "Subscriptions", "Share"],
    numeric: [false, true, true, true, true, true],
    rows: props.plans.map((p) => [
      p.name,
      money(p.mrr_start, cur),
      money(p.mrr, cur),
      signed(p.mrr - p.mrr_start, cur),
      count(p.subscriptions),
      percent(p.share),
    ]),
    links: props.plans.map((_, i) => [null, start[i] ?? null, end[i] ?? null, null, null, null]),
  };
  return (
    <Chart
      title={`MRR by plan (${cur.toUpperCase()})`}
      option={option}
      table={table}
      height={Math.max(180, 60 + 44 * props.plans.length)}
    />
  );
}
