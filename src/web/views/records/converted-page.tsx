import {
  CONVERTED_RECORDS_PAGE,
  type ConvertedRecordPage,
  type ConvertedRecordRow,
  convertedFigureKind,
  convertedRecordRows,
  isCountFigure,
  isStartingRate,
  type RecordKpi,
} from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, day, money, NONE, percent } from "../components/format.ts";
import { Pagination } from "../components/pagination.tsx";
import { MissingRatesNotice } from "../dashboards/currency-notices.tsx";
import { periodLabel } from "../dashboards/range.ts";
import { Layout } from "../layout.tsx";
import { recordsHref } from "./links.ts";
import { recordLabel } from "./page.tsx";

const SOURCE_LABELS: Record<string, string> = {
  same: "same currency",
  stripe_balance_transaction: "Stripe",
  import: "imported",
  seed: "demo seed",
  several: "several currencies (their converted change)",
  revaluation: "rate changes (every currency held)",
  count: "a count (nothing converted)",
  start_end: "start and end days' rates",
};

/**
 * The records behind a converted figure ("All currencies"): each row's own amount and currency, the
 * rate of its day, where the rate comes from and the stored day, and the converted amount; the
 * converted rows add up to the figure.
 */
export function ConvertedRecordsPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  page: ConvertedRecordPage;
}) {
  const { page } = props;
  const rep = page.reporting_currency;
  const label = recordLabel(page.kpi);
  const matches = page.total === page.figure;
  const kind = convertedFigureKind(page.kpi);
  const shown = (v: number | null) =>
    kind === "rate" ? percent(v) : kind === "count" ? count(v) : money(v, rep);
  const part = (v: number | null) => (isCountFigure(page.kpi) ? count(v) : money(v, rep));
  const cell =
    page.product !== undefined
      ? ` · product ${page.product}`
      : page.reason !== undefined
        ? ` · reason ${page.reason === "none" ? "not given" : page.reason.replaceAll("_", " ")}`
        : "";
  return (
    <Layout
      title={`${label} · records`}
      user={props.user}
      csrfToken={props.csrfToken}
      path={`/records/${page.kpi}`}
    >
      <div class="page-head">
        <div>
          <h1>{label} in all currencies: the records behind it</h1>
          <p class="muted">
            {periodLabel(page)}
            {cell} · every currency converted into {rep.toUpperCase()} at the rate of each record's day ·{" "}
            {page.livemode ? "live mode" : "test mode"} · {convertedRecordRows(page.kpi)}.{" "}
            <a href="/docs/kpis#reporting-currency-the-converted-view">Definition</a>
          </p>
        </div>
        <a class="button" href={`/records/${page.kpi}/export.csv${convertedQuery(page)}`} download>
          Download CSV
        </a>
      </div>
      {page.missing.length ? <MissingRatesNotice missing={page.missing} /> : null}
      <section class="panel records-summary" aria-label="How the rows make the figure">
        <dl class="records-totals">
          <div>
            <dt>Figure shown</dt>
            <dd data-figure={page.figure ?? ""}>{shown(page.figure)}</dd>
          </div>
          <div>
            <dt>Rows</dt>
            <dd data-rows={page.total_rows}>{count(page.total_rows)}</dd>
          </div>
          <div>
            <dt>{page.combine === "sum" ? "Sum of the converted rows" : "Σ converted"}</dt>
            <dd data-sum={page.numerator ?? ""}>{part(page.numerator)}</dd>
          </div>
          {page.combine === "sum" ? null : (
            <div>
              <dt>Σ denominator</dt>
              <dd data-denominator={page.denominator ?? ""}>
                {page.combine === "mean" || isCountFigure(page.kpi)
                  ? count(page.denominator)
                  : money(page.denominator, rep)}
              </dd>
            </div>
          )}
        </dl>
        <p
          class={matches ? "records-check good" : "records-check alert alert-warn"}
          data-matches={String(matches)}
          data-total={page.total ?? ""}
        >
          {page.combine === "sum"
            ? `The converted rows add up to ${shown(page.total)}`
            : `Σ converted ÷ Σ denominator${page.combine === "mean" ? ", rounded," : ""} = ${shown(page.total)}`}
          {matches ? " — the figure shown." : ` — the figure shown is ${shown(page.figure)}.`}
        </p>
      </section>
      <section class="panel">
        <h2 class="visually-hidden">Records</h2>
        <DataTable
          class="records-table converted-records"
          labelCells
          columns={columns(page)}
          rows={page.rows}
          empty={<p class="empty">No records for this figure in this period.</p>}
        />
        {page.pages > 1 ? (
          <Pagination
            page={page.page}
            pageSize={page.limit}
            total={page.total_rows}
            href={(n) => `/records/${page.kpi}${convertedQuery(page, n)}`}
          />
        ) : null}
      </section>
    </Layout>
  );
}

/** The query of a converted records page (`page` for another page; the CSV takes every row). */
function convertedQuery(page: ConvertedRecordPage, n?: number): string {
  const q = new URLSearchParams({
    from: page.from,
    to: page.to,
    currency: "all",
    reporting_currency: page.reporting_currency,
  });
  if (page.reason !== undefined) q.set("reason", page.reason);
  if (page.product !== undefined) q.set("product", String(page.product));
  if (n !== undefined) q.set("page", String(n));
  if (n !== undefined && page.limit !== CONVERTED_RECORDS_PAGE) q.set("limit", String(page.limit));
  return `?${q.toString()}`;
}

function columns(page: ConvertedRecordPage): Column<ConvertedRecordRow>[] {
  const rep = page.reporting_currency;
  const counts = isCountFigure(page.kpi);
  // The starting customers' rates: converted MRR at start → at end, nothing of their own currency to show.
  const starting = isStartingRate(page.kpi);
  const when: Column<ConvertedRecordRow> = {
    header: "When",
    cellClass: "num",
    cell: (r) => (r.at.length === 10 ? day(r.at) : dateTime(r.at)),
  };
  const record: Column<ConvertedRecordRow> = {
    header: "Record",
    cell: (r) =>
      // A customer's row: the link names them.
      r.object === "customer" && r.customer_id !== null ? (
        <a href={`/customers/${r.customer_id}`}>customer {r.customer_id}</a>
      ) : r.object === "product_sales" && page.product !== undefined ? (
        // A day's sales in one currency: that day's order lines of the product, in that currency.
        <a
          href={recordsHref(page.kpi as RecordKpi, { from: r.day, to: r.day }, r.currency, {
            product: page.product,
          })}
        >
          {r.object_id} · {r.currency.toUpperCase()} lines
        </a>
      ) : (
        <>
          {r.object.replaceAll("_", " ")} <code>{r.object_id}</code>
          {r.customer_id === null ? null : (
            <>
              {" "}
              <a href={`/customers/${r.customer_id}`}>customer {r.customer_id}</a>
            </>
          )}
        </>
      ),
  };
  const beforeAfter: Column<ConvertedRecordRow> = {
    // The amounts show the reporting currency: a short header keeps the table on a laptop's screen.
    header: starting ? "MRR at start → at end" : "MRR before → after",
    numeric: true,
    cell: (r) =>
      r.before === null || r.after === null ? NONE : `${money(r.before, rep)} → ${money(r.after, rep)}`,
  };
  const denominator: Column<ConvertedRecordRow> = {
    header: "Denominator",
    numeric: true,
    cell: (r) => (page.combine === "mean" || counts ? count(r.denominator) : money(r.denominator, rep)),
  };
  const ratio = page.combine === "sum" ? [] : [denominator];
  // Counts convert nothing: each row adds its count, in whatever currencies it was paid.
  if (counts) {
    return [
      when,
      record,
      { header: "Currencies", cell: (r) => r.currency.toUpperCase() },
      ...(starting ? [beforeAfter] : []),
      { header: "Counts", numeric: true, cell: (r) => count(r.converted) },
      ...ratio,
    ];
  }
  // Starting customers: MRR at start and at end are each converted at their own day's rates.
  if (starting) {
    return [
      when,
      record,
      beforeAfter,
      { header: `Adds (${rep.toUpperCase()})`, numeric: true, cell: (r) => money(r.converted, rep) },
      denominator,
    ];
  }
  return [
    when,
    record,
    { header: "Amount", numeric: true, cell: (r) => money(r.value, r.currency) },
    { header: "Currency", cell: (r) => r.currency.toUpperCase() },
    {
      header: `Rate (${rep.toUpperCase()} per unit)`,
      numeric: true,
      cell: (r) => r.rate ?? (r.converted === null ? "missing" : NONE),
    },
    {
      header: "Rate source",
      cell: (r) =>
        r.rate_source
          ? r.rate_source
              .split("+")
              .map((s) => SOURCE_LABELS[s] ?? s)
              .join(" + ")
          : NONE,
    },
    { header: "Rate of", cellClass: "num", cell: (r) => (r.rate_day ? day(r.rate_day) : NONE) },
    ...(page.kpi.startsWith("mrr_movements.") ? [beforeAfter] : []),
    { header: `Converted (${rep.toUpperCase()})`, numeric: true, cell: (r) => money(r.converted, rep) },
    ...ratio,
  ];
}
