import type { CsvRecord } from "../../../exports/pack.ts";
import { DataTable } from "../components/data-table.tsx";
import { count, day, money } from "../components/format.ts";
import { convertedRecordsHref, recordsHref } from "../records/links.ts";
import { OPS_LIST_ROWS } from "./ops-tables.tsx";

/** A row's amount in the page's currency: `shown_amount` when converted (null: no rate), else `amount`. */
const shownOf = (r: CsvRecord): number | null => {
  const v = r.shown_amount === undefined ? r.amount : r.shown_amount;
  return v === null ? null : Number(v);
};

/** Σ shown amounts of the rows; null when one of them is null (a converted row without a rate). */
export function shownTotal(rows: CsvRecord[]): number | null {
  let sum = 0;
  for (const r of rows) {
    const v = shownOf(r);
    if (v === null) return null;
    sum += v;
  }
  return sum;
}

/** The amount a row shows; in the converted view its own amount beside it when in another currency. */
export function shownAmount(r: CsvRecord, currency: string, converted: boolean) {
  const shown = shownOf(r);
  const own = String(r.currency).toLowerCase();
  if (!converted || own === currency) return money(shown, currency);
  return (
    <>
      {money(shown, currency)} <span class="muted">({money(Number(r.amount), own)})</span>
    </>
  );
}

/** How the records page names refunds given no reason (kept in the link's `reason`). */
const NO_REASON = "none";

/** Succeeded refunds of the period grouped by the reason given, beside the latest ones. */
export function RefundsTable(props: {
  refunds: CsvRecord[];
  currency: string;
  /** The period shown: each reason's count and amount open its refunds (`refunds_by_reason`). */
  range: { from: string; to: string };
  /** Every currency's refunds, converted: amounts in `currency`, each beside its own. */
  converted?: boolean;
}) {
  const byReason = new Map<string, CsvRecord[]>();
  for (const r of props.refunds) {
    if (!r.counts_in_refunds) continue;
    const reason = String(r.reason ?? "") || NO_REASON;
    byReason.set(reason, [...(byReason.get(reason) ?? []), r]);
  }
  if (props.refunds.length === 0) return <p class="empty">No refunds in this period.</p>;
  const reasons = [...byReason].map(([reason, rows]) => ({
    reason,
    n: rows.length,
    amount: shownTotal(rows),
  }));
  // Converted, a reason's refunds of every currency with the rate of each one's day.
  const link = (reason: string, text: string) => (
    <a
      href={
        props.converted
          ? (convertedRecordsHref("refunds_by_reason", props.range, props.currency, { reason }) ?? undefined)
          : recordsHref("refunds_by_reason", props.range, props.currency, { reason })
      }
    >
      {text}
    </a>
  );
  const recent = [...props.refunds].reverse().slice(0, OPS_LIST_ROWS);
  return (
    <div class="grid two">
      <DataTable
        caption="Succeeded refunds by reason"
        rows={reasons.sort((a, b) => (b.amount ?? -1) - (a.amount ?? -1))}
        columns={[
          {
            header: "Reason",
            cell: (e) => (e.reason === NO_REASON ? "not given" : e.reason.replaceAll("_", " ")),
          },
          { header: "Refunds", numeric: true, cell: (e) => link(e.reason, count(e.n)) },
          {
            header: "Amount",
            numeric: true,
            cell: (e) => link(e.reason, money(e.amount, props.currency)),
          },
        ]}
      />
      <DataTable
        caption="Latest refunds"
        rows={recent}
        columns={[
          { header: "Day", cellClass: "num", cell: (r) => day(String(r.created_day)) },
          { header: "Reason", cell: (r) => String(r.reason ?? "not given").replaceAll("_", " ") },
          {
            header: "Status",
            cell: (r) => <span class={`badge ${String(r.status)}`}>{String(r.status)}</span>,
          },
          {
            header: "Amount",
            numeric: true,
            cell: (r) => shownAmount(r, props.currency, props.converted === true),
          },
        ]}
      />
    </div>
  );
}
