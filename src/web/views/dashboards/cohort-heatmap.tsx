import type { CohortRow, SubscriberCohortRow } from "../../../analytics/index.ts";
import { count, money, month, percent } from "../components/format.ts";
import { recordsHref } from "../records/links.ts";

/** Shade from white to the primary colour by retention; white text once the cell is dark. */
function shade(rate: number | null): { style?: string; dark: boolean } {
  if (rate === null) return { dark: false };
  // A floor and a slope so that 10% and 20% are told apart as easily as 80% and 90%.
  const alpha = 0.06 + 0.94 * Math.min(1, Math.max(0, rate));
  return { style: `background: rgba(35, 70, 199, ${alpha.toFixed(2)})`, dark: alpha > 0.5 };
}

export interface HeatmapRow {
  /** "YYYY-MM" */
  cohort: string;
  /** The cohort's size as shown ("12", "$1,200.00"). */
  size: string;
  cells: Array<{ month: number; rate: number | null; title: string; href?: string }>;
}

/** Months after `cohort` ("YYYY-MM") of `current`: the column of the running month. */
function monthsBetween(cohort: string, current: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(current) - index(cohort);
}

/**
 * Retention by cohort as a table (readable by screen readers and without colour) with shaded cells.
 * The cells of the running month (`currentMonth`, "YYYY-MM") are marked "so far": that month is
 * not over and its figures are taken at the range's last day.
 */
export function RetentionHeatmap(props: {
  caption: string;
  sizeLabel: string;
  rows: HeatmapRow[];
  currentMonth?: string;
  empty?: string;
  kind?: string;
}) {
  const months = Math.max(0, ...props.rows.map((c) => c.cells.length));
  if (props.rows.length === 0) return <p class="empty">{props.empty ?? "No cohorts in this period yet."}</p>;
  return (
    <div class="table-wrap">
      <table class="heatmap" data-heatmap={props.kind}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" class="num">
              {props.sizeLabel}
            </th>
            {Array.from({ length: months }, (_, k) => (
              <th scope="col" class="num">
                M{k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((c) => {
            const running = props.currentMonth ? monthsBetween(c.cohort, props.currentMonth) : -1;
            return (
              <tr>
                <th scope="row">{month(c.cohort)}</th>
                <td class="num">{c.size}</td>
                {Array.from({ length: months }, (_, k) => {
                  const cell = c.cells.find((r) => r.month === k);
                  if (!cell) return <td class="cell" aria-label="not yet"></td>;
                  const s = shade(cell.rate);
                  const soFar = k === running;
                  return (
                    <td
                      class={`cell num${s.dark ? " dark" : ""}${soFar ? " so-far" : ""}`}
                      style={s.style}
                      title={soFar ? `${cell.title} (month not over: so far)` : cell.title}
                    >
                      {cell.href ? <a href={cell.href}>{percent(cell.rate)}</a> : percent(cell.rate)}
                      {soFar ? <span class="so-far-mark">*</span> : null}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.currentMonth && props.rows.some((c) => monthsBetween(c.cohort, props.currentMonth!) >= 0) ? (
        <p class="muted chart-note">* {month(props.currentMonth)} is not over: its column is so far.</p>
      ) : null}
    </div>
  );
}

/** Order cohorts (kpis.md `cohort_retention`): the share of each cohort with a paid order in month k. */
export function CohortHeatmap(props: { cohorts: CohortRow[]; currentMonth?: string; currency?: string }) {
  // Each share opens the cohort's customers, 1 for those who paid in month k (records `cohort_retention`).
  const href = (cohort: string, index: number) =>
    props.currency
      ? recordsHref("cohort_retention", cohortCellRange(cohort, index), props.currency, {
          cohort: { month: cohort, index },
        })
      : undefined;
  return (
    <RetentionHeatmap
      kind="orders"
      caption="Share of each cohort with a paid order k months after their first paid order"
      sizeLabel="Customers"
      currentMonth={props.currentMonth}
      rows={props.cohorts.map((c) => ({
        cohort: c.cohort,
        size: count(c.size),
        cells: c.retention.map((r) => ({
          month: r.month,
          rate: r.rate,
          title: `${r.customers} customers`,
          href: href(c.cohort, r.month),
        })),
      }))}
    />
  );
}

/** The days a cohort cell spans: its cohort's first day to the last day of month k after it. */
function cohortCellRange(cohort: string, index: number): { from: string; to: string } {
  const [y, m] = cohort.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m + index, 0));
  const to = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, "0")}-${String(last.getUTCDate()).padStart(2, "0")}`;
  return { from: `${cohort}-01`, to };
}

/** Subscriber cohorts: the share still subscribed (`by: "subscribers"`) or the MRR kept (`by: "mrr"`) at month k's end. */
export function SubscriberCohortHeatmap(props: {
  cohorts: SubscriberCohortRow[];
  by: "subscribers" | "mrr";
  currency: string;
  currentMonth?: string;
  /** The last day of the dashboard's range: cells link to their customers when given. */
  to?: string;
}) {
  const bySubscribers = props.by === "subscribers";
  // Each share opens the cohort's customers (records `subscriber_cohort` / `subscriber_cohort_mrr`),
  // read at the end of month k or at the range's end when that comes first, as the heatmap is.
  const href = (cohort: string, index: number) => {
    if (!props.to) return undefined;
    const range = cohortCellRange(cohort, index);
    return recordsHref(
      bySubscribers ? "subscriber_cohort" : "subscriber_cohort_mrr",
      { from: range.from, to: range.to < props.to ? range.to : props.to },
      props.currency,
      { cohort: { month: cohort, index } },
    );
  };
  return (
    <RetentionHeatmap
      kind={`subscribers-${props.by}`}
      caption={
        bySubscribers
          ? "Share of each subscriber cohort still paying at the end of month k"
          : "MRR of each subscriber cohort at the end of month k as a share of its starting MRR"
      }
      sizeLabel={bySubscribers ? "Subscribers" : "Starting MRR"}
      currentMonth={props.currentMonth}
      empty="No customer started paying in these months."
      rows={props.cohorts.map((c) => ({
        cohort: c.cohort,
        size: bySubscribers ? count(c.subscribers) : money(c.mrr, props.currency),
        cells: c.retention.map((r) =>
          bySubscribers
            ? {
                month: r.month,
                rate: r.subscriber_rate,
                title: `${r.subscribers} subscribers`,
                href: href(c.cohort, r.month),
              }
            : {
                month: r.month,
                rate: r.mrr_rate,
                title: `${money(r.mrr, props.currency)} MRR`,
                href: href(c.cohort, r.month),
              },
        ),
      }))}
    />
  );
}
