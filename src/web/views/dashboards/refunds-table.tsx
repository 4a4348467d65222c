import type { CsvRecord } from "../../../exports/pack.ts";
import { count, money } from "../components/format.ts";
import { OPS_LIST_ROWS } from "./ops-tables.tsx";

/** Succeeded refunds of the period grouped by the reason given, beside the latest ones. */
export function RefundsTable(props: { refunds: CsvRecord[]; currency: string }) {
  const byReason = new Map<string, { n: number; amount: number }>();
  for (const r of props.refunds) {
    if (!r.counts_in_refunds) continue;
    const reason = String(r.reason ?? "") || "not given";
    const entry = byReason.get(reason) ?? { n: 0, amount: 0 };
    entry.n += 1;
    entry.amount += Number(r.amount);
    byReason.set(reason, entry);
  }
  if (props.refunds.length === 0) return <p class="empty">No refunds in this period.</p>;
  const recent = [...props.refunds].reverse().slice(0, OPS_LIST_ROWS);
  return (
    <div class="grid two">
      <div class="table-wrap">
        <table>
          <caption>Succeeded refunds by reason</caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col" class="num">
                Refunds
              </th>
              <th scope="col" class="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {[...byReason]
              .sort((a, b) => b[1].amount - a[1].amount)
              .map(([reason, e]) => (
                <tr>
                  <td>{reason.replaceAll("_", " ")}</td>
                  <td class="num">{count(e.n)}</td>
                  <td class="num">{money(e.amount, props.currency)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <div class="table-wrap">
        <table>
          <caption>Latest refunds</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Reason</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.map((r) => (
              <tr>
                <td class="num">{String(r.created_day)}</td>
                <td>{String(r.reason ?? "not given").replaceAll("_", " ")}</td>
                <td>
                  <span class={`badge ${String(r.status)}`}>{String(r.status)}</span>
                </td>
                <td class="num">{money(Number(r.amount), props.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
