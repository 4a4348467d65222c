import {
  CONVERTED_RECORDS_PAGE,
  type ConvertedRecordPage,
  type ConvertedRecordRow,
  convertedRecordRows,
} from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, day, money, NONE } from "../components/format.ts";
import { Pagination } from "../components/pagination.tsx";
import { MissingRatesNotice } from "../dashboards/currency-notices.tsx";
import { periodLabel } from "../dashboards/range.ts";
import { Layout } from "../layout.tsx";
import { recordLabel } from "./page.tsx";

const SOURCE_LABELS: Record<string, string> = {
  same: "same currency",
  stripe_balance_transaction: "Stripe",
  import: "imported",
  seed: "demo seed",
  several: "several currencies (their converted change)",
  revaluation: "rate changes (every currency held)",
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
            {periodLabel(page)} · every currency converted into {rep.toUpperCase()} at the rate of each
            record's day · {page.livemode ? "live mode" : "test mode"} · {convertedRecordRows(page.kpi)}.{" "}
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
            <dd data-figure={page.figure ?? ""}>{money(page.figure, rep)}</dd>
          </div>
          <div>
            <dt>Rows</dt>
            <dd data-rows={page.total_rows}>{count(page.total_rows)}</dd>
          </div>
          <div>
            <dt>Sum of the converted rows</dt>
            <dd data-sum={page.total ?? ""}>{money(page.total, rep)}</dd>
          </div>
        </dl>
        <p
          class={matches ? "records-check good" : "records-check alert alert-warn"}
          data-matches={String(matches)}
        >
          The converted rows add up to {money(page.total, rep)}
          {matches ? " — the figure shown." : ` — the figure shown is ${money(page.figure, rep)}.`}
        </p>
      </section>
      <section class="panel">
        <h2 class="visually-hidden">Records</h2>
        <DataTable
          class="records-table converted-records"
          labelCells
          columns={columns(rep)}
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
  if (n !== undefined) q.set("page", String(n));
  if (n !== undefined && page.limit !== CONVERTED_RECORDS_PAGE) q.set("limit", String(page.limit));
  return `?${q.toString()}`;
}

function columns(rep: string): Column<ConvertedRecordRow>[] {
  return [
    { header: "When", cellClass: "num", cell: (r) => (r.at.length === 10 ? day(r.at) : dateTime(r.at)) },
    {
      header: "Record",
      cell: (r) => (
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
    },
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
    { header: `Converted (${rep.toUpperCase()})`, numeric: true, cell: (r) => money(r.converted, rep) },
  ];
}
