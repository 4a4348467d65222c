import type { WishlistDemand, WishlistDemandResult } from "../../../orders/index.ts";
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

/** Who wants what: wishlisters now, the period's wishlist activity, sales and whether it can be bought. */
export function WishlistDemandTable(props: { demand: WishlistDemandResult }) {
  const { products, total } = props.demand;
  if (products.length === 0)
    return <p class="empty">No product is on a wishlist, and no wishlist changed in this period.</p>;
  const unavailable = products.filter((p) => p.wantedButUnavailable);
  return (
    <>
      {unavailable.length ? (
        <p class="alert alert-warn" data-wanted-unavailable={unavailable.length}>
          <strong>Wanted but not available:</strong>{" "}
          {unavailable.map((p, i) => (
            <>
              {i ? ", " : ""}
              {p.name} ({count(p.wishlisters)} waiting)
            </>
          ))}
        </p>
      ) : null}
      <div class="table-wrap">
        <table class="wishlist-demand">
          <caption class="visually-hidden">
            Wishlist demand per product, most wished for first, with this period's changes
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Wanted now
              </th>
              <th scope="col" class="num">
                Net
              </th>
              <th scope="col">Stock</th>
              <th scope="col" class="num">
                Added
              </th>
              <th scope="col" class="num">
                Removed
              </th>
              <th scope="col" class="num">
                To cart
              </th>
              <th scope="col" class="num">
                Bought
              </th>
              <th scope="col" class="num">
                Units sold
              </th>
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr class={p.wantedButUnavailable ? "attention" : undefined}>
                <th scope="row">
                  {p.name} {p.sku ? <span class="muted sku">{p.sku}</span> : null}
                </th>
                <td class="num">{count(p.wishlisters)}</td>
                <td class="num">{signed(p.netChange)}</td>
                <td>
                  <StockBadge row={p} />
                </td>
                <td class="num">{count(p.added)}</td>
                <td class="num">{count(p.removed)}</td>
                <td class="num">{count(p.movedToCart)}</td>
                <td class="num">{count(p.converted)}</td>
                <td class="num">{count(p.unitsSold)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Wanted now: customers with the product on their wishlist today. Added, removed, moved to the cart and
        bought (paid orders of wished-for products) count this period; net is added − removed − moved to cart.
        {total > products.length ? ` Showing the ${products.length} most wanted of ${total} products.` : ""}
      </p>
    </>
  );
}
