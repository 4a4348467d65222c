import type { CsvRecord } from "../../../exports/pack.ts";
import { DataTable } from "../components/data-table.tsx";
import { day, NONE } from "../components/format.ts";
import { OPS_LIST_ROWS } from "./ops-tables.tsx";
import { shownAmount } from "./refunds-table.tsx";

/**
 * Disputes opened in the period, inquiries listed as inquiries: a card network's question with no
 * money withdrawn, not counted in the `disputes` KPI (kpis.md).
 */
export function DisputesTable(props: { disputes: CsvRecord[]; currency: string; converted?: boolean }) {
  if (props.disputes.length === 0) return <p class="empty">No disputes or inquiries in this period.</p>;
  const recent = [...props.disputes]
    .sort((a, b) => String(b.created_day).localeCompare(String(a.created_day)))
    .slice(0, OPS_LIST_ROWS);
  return (
    <DataTable
      caption="Disputes and inquiries opened in the period"
      rows={recent}
      columns={[
        { header: "Day", cellClass: "num", cell: (r) => day(String(r.created_day)) },
        {
          header: "Kind",
          cell: (r) => (r.inquiry ? <span class="badge inquiry">inquiry</span> : "chargeback"),
        },
        {
          header: "Status",
          cell: (r) => (
            <span class={`badge ${String(r.status)}`}>{String(r.status).replaceAll("_", " ")}</span>
          ),
        },
        { header: "Reason", cell: (r) => String(r.reason ?? "not given").replaceAll("_", " ") },
        { header: "Lost on", cellClass: "num", cell: (r) => (r.lost_day ? day(String(r.lost_day)) : NONE) },
        {
          header: "Amount",
          numeric: true,
          cell: (r) => shownAmount(r, props.currency, props.converted === true),
        },
      ]}
    />
  );
}
