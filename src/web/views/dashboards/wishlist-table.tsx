import type { WishlistDemand, WishlistDemandResult } from "../../../orders/index.ts";
import { Alert } from "../components/alert.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count } from "../components/format.ts";

const LABEL: Record<NonNullable<WishlistDemand["stock"]>, string> = {
  out_of_stock: "out of stock",
  preorder: "preorder",
  low_stock: "low stock",
  in_stock: "in stock",
};

/** "+3", "−1" (a real minus sign), "0". */
function signed(n: number): string {
  return n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : "0";
}

function StockBadge(props: { row: WishlistDemand }) {
  const { stock } = props.row;
  if (stock === null) return <span class="badge out-of-stock">not for sale</span>;
  return <span class={`badge ${stock.replaceAll("_", "-")}`}>{LABEL[stock]}</span>;
}

const COLUMNS: Column<WishlistDemand>[] = [
  {
    header: "Product",
    rowHeader: true,
    cell: (p) => (
      <>
        {p.name} {p.sku ? <span class="muted sku">{p.sku}</span> : null}
      </>
    ),
  },
  { header: "Wanted now", numeric: true, cell: (p) => count(p.wishlisters) },
  { header: "Net", numeric: true, cell: (p) => signed(p.netChange) },
  { header: "Stock", cell: (p) => <StockBadge row={p} /> },
  { header: "Added", numeric: true, cell: (p) => count(p.added) },
  { header: "Removed", numeric: true, cell: (p) => count(p.removed) },
  { header: "To cart", numeric: true, cell: (p) => count(p.movedToCart) },
  { header: "Bought", numeric: true, cell: (p) => count(p.converted) },
  { header: "Units sold", numeric: true, cell: (p) => count(p.unitsSold) },
];

/** Who wants what: wishlisters now, the period's wishlist activity, sales and whether it can be bought. */
export function WishlistDemandTable(props: { demand: WishlistDemandResult }) {
  const { products, total } = props.demand;
  if (products.length === 0)
    return <p class="empty">No product is on a wishlist, and no wishlist changed in this period.</p>;
  const unavailable = products.filter((p) => p.wantedButUnavailable);
  return (
    <>
      {unavailable.length ? (
        <Alert kind="warn" data-wanted-unavailable={unavailable.length}>
          <strong>Wanted but not available:</strong>{" "}
          {unavailable.map((p, i) => (
            <>
              {i ? ", " : ""}
              {p.name} ({count(p.wishlisters)} waiting)
            </>
          ))}
        </Alert>
      ) : null}
      <DataTable
        class="wishlist-demand"
        caption="Wishlist demand per product, most wished for first, with this period's changes"
        captionHidden
        columns={COLUMNS}
        rows={products}
        rowAttributes={(p) => ({ class: p.wantedButUnavailable ? "attention" : undefined })}
      />
      <p class="muted small">
        Wanted now: customers with the product on their wishlist today. Added, removed, moved to the cart and
        bought (paid orders of wished-for products) count this period; net is added − removed − moved to cart.
        {total > products.length ? ` Showing the ${products.length} most wanted of ${total} products.` : ""}
      </p>
    </>
  );
}
