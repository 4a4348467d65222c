import type { CartLine } from "../../../orders/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { Csrf, StockBadge } from "./components.tsx";

export function CartView(props: { lines: CartLine[]; csrfToken: string; hasProfile: boolean }) {
  if (!props.hasProfile) {
    return <p class="alert alert-warn">This account has no customer profile, so it cannot buy.</p>;
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
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Cart items</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Availability</th>
                  <th scope="col" class="num">
                    Unit price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col" class="num">
                    Total
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.lines.map((l) => (
                  <tr>
                    <td>
                      <a href={`/products/${l.product.id}`}>{l.product.name}</a>
                    </td>
                    <td>
                      <StockBadge product={l.product} />
                    </td>
                    <td class="num">{formatMoney(l.product.priceAmount, l.product.currency)}</td>
                    <td>
                      <form method="post" action="/cart/update" class="form inline">
                        <Csrf token={props.csrfToken} />
                        <input type="hidden" name="productId" value={String(l.product.id)} />
                        <label for={`cq-${l.product.id}`} class="visually-hidden">
                          Quantity of {l.product.name}
                        </label>
                        <input
                          id={`cq-${l.product.id}`}
                          class="qty"
                          type="number"
                          name="quantity"
                          min="1"
                          max="100"
                          value={String(l.quantity)}
                        />
                        <button type="submit" class="button small">
                          Update
                        </button>
                      </form>
                    </td>
                    <td class="num">{formatMoney(l.lineTotal, l.product.currency)}</td>
                    <td>
                      <form method="post" action="/cart/remove">
                        <Csrf token={props.csrfToken} />
                        <input type="hidden" name="productId" value={String(l.product.id)} />
                        <button type="submit" class="button small danger">
                          Remove<span class="visually-hidden"> {l.product.name}</span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan={4}>
                    Total
                  </th>
                  <td class="num total">{formatMoney(total, currency)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
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
