import { availableUnits, type Product, type StockStatus, stockStatus } from "../../../catalog/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, day } from "../components/format.ts";

const ORDER: Record<StockStatus, number> = { out_of_stock: 0, preorder: 1, low_stock: 2, in_stock: 3 };
const LABEL: Record<StockStatus, string> = {
  out_of_stock: "out of stock",
  preorder: "preorder",
  low_stock: "low stock",
  in_stock: "in stock",
};
export const STOCK_ROWS = 25;

const COLUMNS: Column<{ p: Product; status: StockStatus }>[] = [
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
  { header: "On hand", numeric: true, cell: ({ p }) => count(Math.max(0, p.stockOnHand)) },
  { header: "Preorders", numeric: true, cell: ({ p }) => count(Math.max(0, -p.stockOnHand)) },
  {
    header: "Can still sell",
    numeric: true,
    cell: ({ p }) => {
      const available = availableUnits(p);
      return available === null ? "no limit" : count(available);
    },
  },
  { header: "Ships", cell: ({ p }) => (p.preorderShipDate ? day(p.preorderShipDate) : "") },
];

/** Products needing attention first: sold out, on preorder, then low stock. */
export function StockTable(props: { products: Product[]; currency: string }) {
  const rows = props.products
    .map((p) => ({ p, status: stockStatus(p) }))
    .sort(
      (a, b) => ORDER[a.status] - ORDER[b.status] || a.p.stockOnHand - b.p.stockOnHand || a.p.id - b.p.id,
    );
  return (
    <DataTable
      columns={COLUMNS}
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
