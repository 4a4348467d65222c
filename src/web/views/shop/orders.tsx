import type { Order, OrderWithLines } from "../../../orders/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { dateTime } from "../components/format.ts";

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${props.status}`}>{props.status}</span>;
}

export function OrdersView(props: { orders: Order[]; lineCounts: Map<number, number> }) {
  return (
    <>
      <div class="page-head">
        <h1>My orders</h1>
      </div>
      {props.orders.length === 0 ? (
        <p class="panel muted">
          No orders yet. <a href="/">Browse the shop</a>.
        </p>
      ) : (
        <section class="panel table-wrap">
          <table>
            <caption class="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Items
                </th>
                <th scope="col" class="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {props.orders.map((o) => (
                <tr>
                  <td>
                    <a href={`/orders/${o.number}`}>{o.number}</a>
                  </td>
                  <td>{dateTime(o.createdAt)}</td>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                  <td class="num">{props.lineCounts.get(o.id) ?? 0}</td>
                  <td class="num">{formatMoney(o.amountTotal, o.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

export function OrderLinesTable(props: { order: OrderWithLines }) {
  const o = props.order;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Order lines</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Unit price
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr>
              <td>
                {l.name} <span class="muted">({l.sku})</span>{" "}
                {l.isPreorder ? <span class="badge preorder">preorder</span> : null}
                {l.restockedQuantity > 0 ? (
                  <span class="muted"> · {l.restockedQuantity} returned</span>
                ) : null}
              </td>
              <td class="num">{l.quantity}</td>
              <td class="num">{formatMoney(l.unitPriceAmount, o.currency)}</td>
              <td class="num">{formatMoney(l.amountTotal, o.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={3}>
              Total
            </th>
            <td class="num total">{formatMoney(o.amountTotal, o.currency)}</td>
          </tr>
          {o.amountRefunded > 0 ? (
            <tr>
              <th scope="row" colspan={3}>
                Refunded
              </th>
              <td class="num">−{formatMoney(o.amountRefunded, o.currency)}</td>
            </tr>
          ) : null}
        </tfoot>
      </table>
    </div>
  );
}

export function OrderView(props: { order: OrderWithLines; justPaid: boolean; csrfToken: string }) {
  const o = props.order;
  return (
    <>
      <div class="page-head">
        <h1>Order {o.number}</h1>
        <StatusBadge status={o.status} />
      </div>
      {props.justPaid && o.status === "pending" ? (
        <p class="alert alert-ok" role="status">
          Thank you! We are confirming your payment; this page updates once it arrives.
        </p>
      ) : null}
      {o.status === "pending" && !props.justPaid ? (
        <form method="post" action={`/orders/${o.number}/pay`} class="panel checkout-form">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <p class="muted">This order is waiting for payment; unpaid orders are canceled after a while.</p>
          <button type="submit" class="button primary">
            Complete payment · {formatMoney(o.amountTotal, o.currency)}
          </button>
        </form>
      ) : null}
      <section class="panel">
        <dl class="facts">
          <dt>Placed</dt>
          <dd>{dateTime(o.createdAt)}</dd>
          {o.paidAt ? (
            <>
              <dt>Paid</dt>
              <dd>{dateTime(o.paidAt)}</dd>
            </>
          ) : null}
          {o.fulfilledAt ? (
            <>
              <dt>Shipped</dt>
              <dd>{dateTime(o.fulfilledAt)}</dd>
            </>
          ) : null}
          {o.canceledAt ? (
            <>
              <dt>Canceled</dt>
              <dd>{dateTime(o.canceledAt)}</dd>
            </>
          ) : null}
        </dl>
        <OrderLinesTable order={o} />
      </section>
      <p>
        <a href="/orders">← All my orders</a>
      </p>
    </>
  );
}
