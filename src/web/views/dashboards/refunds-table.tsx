import type { CsvRecord } from "../../../exports/pack.ts";
import { DataTable } from "../components/data-table.tsx";
import { count, day, money } from "../components/format.ts";
import { recordsHref } from "../records/links.ts";
import { OPS_LIST_ROWS } from "./ops-tables.tsx";

/** How the records page names refunds given no reason (kept in the link's `reason`). */
const NO_REASON = "none";

/** Succeeded refunds of the period grouped by the reason given, beside the latest ones. */
export function RefundsTable(props: {
  refunds: CsvRecord[];
  currency: string;
  /** The period shown: each reason's count and amount open its refunds (`refunds_by_reason`). */
  range: { from: string; to: string };
}) {
  const byReason = new Map<string, { n: number; amount: number }>();
  for (const r of props.refunds) {
    if (!r.counts_in_refunds) continue;
    const reason = String(r.reason ?? "") || NO_REASON;
    const entry = byReason.get(reason) ?? { n: 0, amount: 0 };
    entry.n += 1;
    entry.amount += Number(r.amount);
    byReason.set(reason, entry);
  }
  if (props.refunds.length === 0) return <p class="empty">No refunds in this period.</p>;
  const records = (reason: string) =>
    recordsHref("refunds_by_reason", props.range, props.currency, { reason });
  const recent = [...props.refunds].reverse().slice(0, OPS_LIST_ROWS);
  return (
    <div class="grid two">
      <DataTable
        caption="Succeeded refunds by reason"
        rows={[...byReason].sort((a, b) => b[1].amount - a[1].amount)}
        columns={[
          {
            header: "Reason",
            cell: ([reason]) => (reason === NO_REASON ? "not given" : reason.replaceAll("_", " ")),
          },
          {
            header: "Refunds",
            numeric: true,
            cell: ([reason, e]) => <a href={records(reason)}>{count(e.n)}</a>,
          },
          {
            header: "Amount",
            numeric: true,
            cell: ([reason, e]) => <a href={records(reason)}>{money(e.amount, props.currency)}</a>,
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
          { header: "Amount", numeric: true, cell: (r) => money(Number(r.amount), props.currency) },
        ]}
      />
    </div>
  );
}
