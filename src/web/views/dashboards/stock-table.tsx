import { type Product, type StockStatus, stockLevels, stockStatus } from "../../../catalog/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, day } from "../components/format.ts";
import { recordsHref } from "../records/links.ts";
import type { DashboardRange } from "./range.ts";

const ORDER: Record<StockStatus, number> = { out_of_stock: 0, preorder: 1, low_stock: 2, in_stock: 3 };
const LABEL: Record<StockStatus, string> = {
  out_of_stock: "out of stock",
  preorder: "preorder",
  low_stock: "low stock",
  in_stock: "in stock",
};
export const STOCK_ROWS = 25;

type Row = { p: Product; status: StockStatus };
type StockKpi = "stock_on_hand" | "stock_preorders" | "stock_available";

/**
 * The columns; each level opens the product's stock movements, which add up to it. A zero that only
 * says the stock is on the other side of zero (on hand while sold below it, preorders while it is
 * not) and "no limit" open nothing: no record set makes them.
 */
function columns(link: (kpi: StockKpi, product: number) => string): Column<Row>[] {
  const cell = (text: string, kpi: StockKpi, p: Product, linked: boolean) =>
    linked ? <a href={link(kpi, p.id)}>{text}</a> : text;
  return [
    {
      header: "Product",
      cell: ({ p }) => (
        <>
          {p.name} <span class="muted">{p.sku}</span>
        </>
      ),
    },
    {
      header: "Status",
      cell: ({ status }) => <span class={`badge ${status.replaceAll("_", "-")}`}>{LABEL[status]}</span>,
    },
    {
      header: "On hand",
      numeric: true,
      cell: ({ p }) => cell(count(stockLevels(p).onHand), "stock_on_hand", p, p.stockOnHand >= 0),
    },
    {
      header: "Preorders",
      numeric: true,
      cell: ({ p }) => cell(count(stockLevels(p).preorders), "stock_preorders", p, p.stockOnHand < 0),
    },
    {
      header: "Can still sell",
      numeric: true,
      cell: ({ p }) => {
        const available = stockLevels(p).canStillSell;
        return available === null ? "no limit" : cell(count(available), "stock_available", p, true);
      },
    },
    { header: "Ships", cell: ({ p }) => (p.preorderShipDate ? day(p.preorderShipDate) : "") },
  ];
}

/** Products needing attention first: sold out, on preorder, then low stock. */
export function StockTable(props: {
  products: Product[];
  currency: string;
  range: Pick<DashboardRange, "from" | "to">;
}) {
  const rows = props.products
    .map((p) => ({ p, status: stockStatus(p) }))
    .sort(
      (a, b) => ORDER[a.status] - ORDER[b.status] || a.p.stockOnHand - b.p.stockOnHand || a.p.id - b.p.id,
    );
  return (
    <DataTable
      columns={columns((kpi, product) => recordsHref(kpi, props.range, props.currency, { product }))}
      rows={rows.slice(0, STOCK_ROWS)}
      empty={<p class="empty">No active products.</p>}
    >
      {rows.length > STOCK_ROWS ? (
        <p class="muted">
          Showing the {STOCK_ROWS} products that need attention first, of {rows.length}.
        </p>
      ) : null}
    </DataTable>
  );
}
