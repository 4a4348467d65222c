import type { JSX } from "hono/jsx/jsx-runtime";
import { describe, expect, it } from "vitest";
import { type Column, DataTable } from "./data-table.tsx";

interface Refund {
  day: string;
  reason: string;
  amount: number;
}

const REFUNDS: Refund[] = [
  { day: "2026-06-01", reason: "duplicate", amount: 1200 },
  { day: "2026-06-03", reason: "fraudulent", amount: 450 },
];

const COLUMNS: Column<Refund>[] = [
  { header: "Reason", cell: (r) => <em>{r.reason}</em> },
  { header: "Day", cellClass: "num", cell: (r) => r.day },
  { header: "Amount", numeric: true, cellClass: "total", cell: (r) => r.amount },
];

const render = async (node: JSX.Element) => (await node).toString();

describe("DataTable", () => {
  it("draws one column header per column and one row per item, numeric columns right-aligned", async () => {
    const html = await render(<DataTable columns={COLUMNS} rows={REFUNDS} />);
    expect(html).toBe(
      '<div class="table-wrap"><table><thead><tr>' +
        '<th scope="col">Reason</th><th scope="col">Day</th><th scope="col" class="num">Amount</th>' +
        "</tr></thead><tbody>" +
        '<tr><td><em>duplicate</em></td><td class="num">2026-06-01</td><td class="num total">1200</td></tr>' +
        '<tr><td><em>fraudulent</em></td><td class="num">2026-06-03</td><td class="num total">450</td></tr>' +
        "</tbody></table></div>",
    );
  });

  it("labels each body cell with its column's header when asked (records show as cards on a phone)", async () => {
    const html = await render(<DataTable columns={COLUMNS} rows={REFUNDS.slice(0, 1)} labelCells />);
    expect(html).toContain(
      '<tr><td data-label="Reason"><em>duplicate</em></td><td class="num" data-label="Day">2026-06-01</td>' +
        '<td class="num total" data-label="Amount">1200</td></tr>',
    );
  });

  it("shows the empty message instead of the table when there are no rows", async () => {
    const html = await render(
      <DataTable columns={COLUMNS} rows={[]} empty={<p class="empty">No refunds in this period.</p>} />,
    );
    expect(html).toBe('<p class="empty">No refunds in this period.</p>');
  });

  it("keeps an empty table when no empty message is given", async () => {
    const html = await render(<DataTable columns={COLUMNS} rows={[]} />);
    expect(html).toContain("<tbody></tbody>");
  });

  it("puts a screen-reader caption, a panel wrapper, a footer and a note after the table", async () => {
    const html = await render(
      <DataTable
        panel
        caption="Refunds"
        captionHidden
        class="refunds"
        columns={COLUMNS}
        rows={REFUNDS.slice(0, 1)}
        foot={
          <tr>
            <th scope="row" colspan={2}>
              Total
            </th>
            <td class="num">1200</td>
          </tr>
        }
      >
        <p class="muted">Showing 1 of 2.</p>
      </DataTable>,
    );
    expect(html).toMatch(/^<section class="panel table-wrap"><table class="refunds">/);
    expect(html).toContain('<caption class="visually-hidden">Refunds</caption><thead>');
    expect(html).toContain(
      '</tbody><tfoot><tr><th scope="row" colspan="2">Total</th><td class="num">1200</td></tr></tfoot></table>',
    );
    expect(html).toMatch(/<\/table><p class="muted">Showing 1 of 2\.<\/p><\/section>$/);
  });

  it("names each row by its row-header cell and sets the row attributes given", async () => {
    const html = await render(
      <DataTable
        columns={[{ header: "Product", rowHeader: true, cell: (r: Refund) => r.reason }, ...COLUMNS.slice(2)]}
        rows={REFUNDS.slice(1)}
        rowAttributes={(r) => ({ class: r.amount < 500 ? "attention" : undefined, "data-day": r.day })}
      />,
    );
    expect(html).toContain(
      '<tr class="attention" data-day="2026-06-03"><th scope="row">fraudulent</th><td class="num total">450</td></tr>',
    );
  });
});
