import type { CartLine } from "../../../orders/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { Alert } from "../components/alert.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { Csrf, StockBadge } from "./components.tsx";

function cartColumns(csrfToken: string): Column<CartLine>[] {
  return [
    { header: "Product", cell: (l) => <a href={`/products/${l.product.id}`}>{l.product.name}</a> },
    { header: "Availability", cell: (l) => <StockBadge product={l.product} /> },
    {
      header: "Unit price",
      numeric: true,
      cell: (l) => formatMoney(l.product.priceAmount, l.product.currency),
    },
    { header: "Quantity", cell: (l) => <QuantityForm line={l} csrfToken={csrfToken} /> },
    { header: "Total", numeric: true, cell: (l) => formatMoney(l.lineTotal, l.product.currency) },
    {
      header: <span class="visually-hidden">Remove</span>,
      cell: (l) => <RemoveForm line={l} csrfToken={csrfToken} />,
    },
  ];
}

function QuantityForm(props: { line: CartLine; csrfToken: string }) {
  const { product, quantity } = props.line;
  return (
    <form method="post" action="/cart/update" class="form inline">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="productId" value={String(product.id)} />
      <label for={`cq-${product.id}`} class="visually-hidden">
        Quantity of {product.name}
      </label>
      <input
        id={`cq-${product.id}`}
        class="qty"
        type="number"
        name="quantity"
        min="1"
        max="100"
        value={String(quantity)}
      />
      <button type="submit" class="button small">
        Update
      </button>
    </form>
  );
}

function RemoveForm(props: { line: CartLine; csrfToken: string }) {
  const { product } = props.line;
  return (
    <form method="post" action="/cart/remove">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="productId" value={String(product.id)} />
      <button type="submit" class="button small danger">
        Remove<span class="visually-hidden"> {product.name}</span>
      </button>
    </form>
  );
}

export function CartView(props: { lines: CartLine[]; csrfToken: string; hasProfile: boolean }) {
  if (!props.hasProfile) {
    return <Alert kind="warn">This account has no customer profile, so it cannot buy.</Alert>;
  }
  const currency = props.lines[0]?.product.currency ?? "usd";
  const total = props.lines.reduce((s, l) => s + l.lineTotal, 0);
  return (
    <>
      <div class="page-head">
        <h1>Your cart</h1>
      </div>
      {props.lines.length === 0 ? (
        <p class="panel muted">
          Your cart is empty. <a href="/">Browse the shop</a>.
        </p>
      ) : (
        <section class="panel">
          <DataTable
            caption="Cart items"
            captionHidden
            columns={cartColumns(props.csrfToken)}
            rows={props.lines}
            foot={
              <tr>
                <th scope="row" colspan={4}>
                  Total
                </th>
                <td class="num total">{formatMoney(total, currency)}</td>
                <td />
              </tr>
            }
          />
          <form method="post" action="/checkout" class="checkout-form">
            <Csrf token={props.csrfToken} />
            <p class="muted">Prices and stock are confirmed when you check out.</p>
            <button type="submit" class="button primary">
              Check out · {formatMoney(total, currency)}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
