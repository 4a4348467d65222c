import { availableUnits, type Product, type StockStatus, stockStatus } from "../../../catalog/index.ts";
import { count } from "../components/format.ts";

const ORDER: Record<StockStatus, number> = { out_of_stock: 0, preorder: 1, low_stock: 2, in_stock: 3 };
const LABEL: Record<StockStatus, string> = {
  out_of_stock: "out of stock",
  preorder: "preorder",
  low_stock: "low stock",
  in_stock: "in stock",
};
export const STOCK_ROWS = 25;

/** Products needing attention first: sold out, on preorder, then low stock. */
export function StockTable(props: { products: Product[]; currency: string }) {
  const rows = props.products
    .map((p) => ({ p, status: stockStatus(p) }))
    .sort(
      (a, b) => ORDER[a.status] - ORDER[b.status] || a.p.stockOnHand - b.p.stockOnHand || a.p.id - b.p.id,
    );
  if (rows.length === 0) return <p class="empty">No active products.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              On hand
            </th>
            <th scope="col" class="num">
              Preorders
            </th>
            <th scope="col" class="num">
              Can still sell
            </th>
            <th scope="col">Ships</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, STOCK_ROWS).map(({ p, status }) => {
            const available = availableUnits(p);
            return (
              <tr>
                <td>
                  {p.name} <span class="muted">{p.sku}</span>
                </td>
                <td>
                  <span class={`badge ${status.replaceAll("_", "-")}`}>{LABEL[status]}</span>
                </td>
                <td class="num">{count(Math.max(0, p.stockOnHand))}</td>
                <td class="num">{count(Math.max(0, -p.stockOnHand))}</td>
                <td class="num">{available === null ? "no limit" : count(available)}</td>
                <td>{p.preorderShipDate ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length > STOCK_ROWS ? (
        <p class="muted">
          Showing the {STOCK_ROWS} products that need attention first, of {rows.length}.
        </p>
      ) : null}
    </div>
  );
}
