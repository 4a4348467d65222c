import {
  RECORD_KPIS,
  type RecordKpi,
  type RecordPage,
  type RecordRow,
  type RecordSort,
  stripeDashboardUrl,
} from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, day, money, month, NONE, percent } from "../components/format.ts";
import { KPI_SPECS, type KpiKey } from "../dashboards/kpi-format.ts";
import { periodLabel } from "../dashboards/range.ts";
import { Layout } from "../layout.tsx";

/** Figures whose rows count things (1 per row, or subscriptions) rather than add money. */
const COUNTED = new Set<RecordKpi>([
  "orders",
  "customers",
  "new_customers",
  "repeat_customer_rate",
  "active_subscriptions",
  "subscribers",
  "customer_churn_rate",
  "product_units",
  "cohort_retention",
  "subscriber_cohort",
  "stock_on_hand",
  "stock_preorders",
  "stock_available",
]);

/** The stock table's figures: a product's units now, not money of the period. */
const STOCK = new Set<RecordKpi>(["stock_on_hand", "stock_preorders", "stock_available"]);

const MOVEMENT_LABELS: Record<string, string> = {
  new: "New MRR",
  expansion: "Expansion MRR",
  contraction: "Contraction MRR",
  churn: "Churned MRR",
  reactivation: "Reactivation MRR",
  fx: "FX movement",
  net: "Net new MRR",
};
const PRODUCT_LABELS: Record<string, string> = {
  product_units: "Units sold",
  product_revenue: "Line revenue",
  product_cost: "Cost of lines with a known cost",
  product_margin: "Margin of lines with a known cost",
  product_margin_rate: "Margin % of lines with a known cost",
  refunds_by_reason: "Refunds by reason",
  cohort_retention: "Order cohort retention",
  subscriber_cohort: "Subscriber cohort: subscribers still paying",
  subscriber_cohort_mrr: "Subscriber cohort: MRR kept",
  plan_mrr: "MRR by plan at end",
  plan_mrr_start: "MRR by plan at start",
  stock_on_hand: "Stock on hand",
  stock_preorders: "Units sold on preorder",
  stock_available: "Units it can still sell",
};

export function recordLabel(kpi: RecordKpi | `mrr_movements.${string}`): string {
  if (kpi.startsWith("mrr_movements.")) return MOVEMENT_LABELS[kpi.slice(14)] ?? kpi;
  if (PRODUCT_LABELS[kpi]) return PRODUCT_LABELS[kpi];
  return KPI_SPECS[kpi as KpiKey]?.label ?? kpi;
}

/** The query string of this listing with some parameters changed (cursor dropped unless given). */
export function recordsQuery(page: RecordPage, change: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ from: page.from, to: page.to, currency: page.currency });
  if (page.product !== null) q.set("product", String(page.product));
  if (page.reason !== null) q.set("reason", page.reason);
  if (page.cohort !== null) {
    q.set("cohort", page.cohort.month);
    q.set("month", String(page.cohort.index));
  }
  if (page.plan !== null) q.set("plan", page.plan);
  const sort = change.sort ?? page.sort;
  const dir = change.dir ?? page.dir;
  q.set("sort", sort);
  q.set("dir", dir);
  if (change.cursor) q.set("cursor", change.cursor);
  return `?${q.toString()}`;
}

export function RecordsPage(props: { user: SessionUser | null; csrfToken: string; page: RecordPage }) {
  const { page } = props;
  const totals = page.totals ?? { rows: 0, value: 0, denominator: null, result: null };
  const label = pageLabel(page);
  const cur = page.currency;
  const amount = (v: number | null) => (COUNTED.has(page.kpi) ? count(v) : money(v, cur));
  const figure = (v: number | null) => (page.combine === "rate" ? percent(v) : amount(v));
  const matches = totals.result === page.figure;
  const stock = STOCK.has(page.kpi);
  const base = `/records/${page.kpi}`;
  return (
    <Layout title={`${label} · records`} user={props.user} csrfToken={props.csrfToken} path={base}>
      <div class="page-head">
        <div>
          <h1>{label}: the records behind it</h1>
          <p class="muted">
            {stock
              ? "Now"
              : `${periodLabel(page)} · ${cur.toUpperCase()} · ${page.livemode ? "live mode" : "test mode"}`}{" "}
            · {RECORD_KPIS[page.kpi].rows}. <a href={`/docs/kpis#${definitionAnchor(page)}`}>Definition</a>
          </p>
        </div>
        <a class="button" href={`${base}/export.csv${recordsQuery(page)}`} download>
          Download CSV
        </a>
      </div>
      <section class="panel records-summary" aria-label="How the rows make the figure">
        <dl class="records-totals">
          <div>
            <dt>Figure shown</dt>
            <dd data-figure={page.figure ?? ""}>{figure(page.figure)}</dd>
          </div>
          <div>
            <dt>Rows</dt>
            <dd data-rows={totals.rows}>{count(totals.rows)}</dd>
          </div>
          <div>
            <dt>{page.combine === "sum" ? "Sum of the rows" : "Σ value (numerator)"}</dt>
            <dd data-sum={totals.value}>{amount(totals.value)}</dd>
          </div>
          {page.combine === "sum" ? null : (
            <div>
              <dt>Σ denominator</dt>
              <dd data-denominator={totals.denominator ?? ""}>
                {page.kpi === "aov" ||
                page.kpi === "arpa" ||
                page.kpi === "customer_churn_rate" ||
                page.kpi === "repeat_customer_rate" ||
                page.kpi === "cohort_retention" ||
                page.kpi === "subscriber_cohort"
                  ? count(totals.denominator)
                  : money(totals.denominator, cur)}
              </dd>
            </div>
          )}
        </dl>
        <p
          class={matches ? "records-check good" : "records-check alert alert-warn"}
          data-matches={String(matches)}
        >
          {page.combine === "sum"
            ? `The rows add up to ${figure(totals.result)}`
            : `${page.combine === "mean" ? "Rounded mean" : "Rate"}: Σ value ÷ Σ denominator = ${figure(totals.result)}`}
          {matches
            ? " — the figure shown."
            : stock
              ? ` — the stock table shows ${figure(page.figure)}: it shows no units on hand below zero, and preorders only below it.`
              : ` — the figure shown is ${figure(page.figure)}: the snapshots of some days are not built yet.`}
        </p>
      </section>
      <section class="panel">
        <h2 class="visually-hidden">Records</h2>
        <SortLinks page={page} />
        <DataTable
          class="records-table"
          labelCells
          columns={recordColumns(page, amount)}
          rows={page.rows}
          rowAttributes={(r) => ({ "data-key": r.key, "data-value": r.value })}
          empty={<p class="empty">No records for this figure in this period.</p>}
        />
        <nav class="pagination" aria-label="Pages">
          <a class="button small" href={`${base}${recordsQuery(page)}`}>
            First page
          </a>
          <span class="muted">
            {count(page.rows.length)} of {count(totals.rows)} rows on this page
          </span>
          {page.next_cursor ? (
            <a
              class="button small"
              rel="next"
              href={`${base}${recordsQuery(page, { cursor: page.next_cursor })}`}
            >
              Next →
            </a>
          ) : null}
        </nav>
      </section>
    </Layout>
  );
}

/** What the page lists: the figure, and the cell it belongs to (reason, cohort, plan or product). */
function pageLabel(page: RecordPage): string {
  if (page.reason !== null) {
    return `Refunds, reason ${page.reason === "none" ? "not given" : page.reason.replaceAll("_", " ")}`;
  }
  if (page.cohort !== null) {
    const cell = `${month(page.cohort.month)}, month ${page.cohort.index}`;
    if (page.kpi === "subscriber_cohort") return `Subscriber cohort ${cell}, subscribers still paying`;
    if (page.kpi === "subscriber_cohort_mrr") return `Subscriber cohort ${cell}, MRR kept`;
    return `Order cohort ${cell}`;
  }
  if (page.plan !== null) return `${recordLabel(page.kpi)}, plan ${page.plan}`;
  if (page.product_name !== null) return `${recordLabel(page.kpi)}, ${page.product_name}`;
  return recordLabel(page.kpi);
}

/** Where the figure is defined on the definitions page. */
function definitionAnchor(page: RecordPage): string {
  if (STOCK.has(page.kpi)) return "the-records-behind-each-figure-drill-down";
  if (page.product !== null) return "best_sellers";
  if (page.reason !== null) return "refunds";
  if (page.plan !== null) return "mrr_by_plan";
  if (page.kpi.startsWith("subscriber_cohort")) return "subscriber_cohorts";
  return page.kpi.split(".")[0]!;
}

const SORT_LABELS: Record<RecordSort, string> = { date: "Date", value: "Value", key: "Record" };

function SortLinks(props: { page: RecordPage }) {
  const { page } = props;
  return (
    <p class="records-sort">
      Sort by{" "}
      {(Object.keys(SORT_LABELS) as RecordSort[]).map((sort) => {
        const active = page.sort === sort;
        const dir = active && page.dir === "asc" ? "desc" : "asc";
        return (
          <a
            class={active ? "button small active" : "button small"}
            aria-current={active ? "true" : undefined}
            href={`/records/${page.kpi}${recordsQuery(page, { sort, dir })}`}
          >
            {SORT_LABELS[sort]}
            {active ? (page.dir === "asc" ? " ↑" : " ↓") : ""}
          </a>
        );
      })}
    </p>
  );
}

function external(url: string | null, text: string) {
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {text}
    </a>
  ) : (
    text
  );
}

function recordColumns(page: RecordPage, amount: (v: number | null) => string): Column<RecordRow>[] {
  const cur = page.currency;
  const mrr = page.rows.some((r) => r.mrr_after !== null);
  const columns: Column<RecordRow>[] = [
    { header: "Date", cell: (r) => (r.at.length === 10 ? day(r.at) : dateTime(r.at)) },
    { header: "Record", cell: (r) => recordCell(r, page.livemode) },
    { header: "Customer", cell: (r) => customerCell(r, page.livemode) },
    { header: "Status", cell: (r) => [r.status, r.movement].filter(Boolean).join(" · ") || NONE },
  ];
  if (mrr) {
    columns.push({
      header: "MRR before → after",
      numeric: true,
      cell: (r) => `${money(r.mrr_before, cur)} → ${money(r.mrr_after, cur)}`,
    });
    columns.push({
      header: "Stripe event",
      cell: (r) =>
        r.event_id
          ? external(stripeDashboardUrl(r.event_id, page.livemode), r.event_id)
          : "discount start or end",
    });
  } else if (!STOCK.has(page.kpi)) {
    columns.push({ header: "Amount", numeric: true, cell: (r) => money(r.amount, cur) });
  }
  columns.push({ header: "Value", numeric: true, cell: (r) => amount(r.value) });
  if (page.combine !== "sum") {
    columns.push({
      header: "Denominator",
      numeric: true,
      cell: (r) =>
        COUNTED.has(page.kpi) || page.kpi === "aov" || page.kpi === "arpa"
          ? count(r.denominator)
          : money(r.denominator, cur),
    });
  }
  return columns;
}

function recordCell(r: RecordRow, livemode: boolean) {
  if (r.object === "order" || r.object === "order_line") {
    return (
      <>
        <a href={`/admin/orders/${encodeURIComponent(r.object_id)}`}>{r.object_id}</a>
        {r.stripe_id ? <> · {external(stripeDashboardUrl(r.stripe_id, livemode), "Stripe")}</> : null}
      </>
    );
  }
  if (r.object === "mrr_change" || r.object === "mrr_customer" || r.object === "starting_customer") {
    return r.subscription_id
      ? external(stripeDashboardUrl(r.subscription_id, livemode), r.subscription_id)
      : "customer MRR";
  }
  if (r.object === "customer") return "customer";
  // A stock movement names its order when an order moved the stock (an order number is not all digits).
  if (r.object === "stock_movement") {
    return /^\d+$/.test(r.object_id) ? (
      `stock movement ${r.object_id}`
    ) : (
      <>
        stock movement of <a href={`/admin/orders/${encodeURIComponent(r.object_id)}`}>{r.object_id}</a>
      </>
    );
  }
  if (r.object === "preorder_limit") return "preorder limit";
  return (
    <>
      {r.object} {external(stripeDashboardUrl(r.stripe_id, livemode), r.object_id)}
    </>
  );
}

function customerCell(r: RecordRow, livemode: boolean) {
  const profile =
    r.customer_id !== null ? <a href={`/customers/${r.customer_id}`}>#{r.customer_id}</a> : null;
  const stripe = r.stripe_customer_id
    ? external(stripeDashboardUrl(r.stripe_customer_id, livemode), r.stripe_customer_id)
    : null;
  if (!profile && !stripe) return NONE;
  return (
    <>
      {profile}
      {profile && stripe ? " · " : null}
      {stripe}
    </>
  );
}
