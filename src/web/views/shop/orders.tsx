import type { Order, OrderLine, OrderWithLines } from "../../../orders/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { Alert } from "../components/alert.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { dateTime } from "../components/format.ts";
import { type CustomerOrderExtras, CustomerRefunds, ShippingPanel } from "./order-detail.tsx";

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${props.status}`}>{props.status}</span>;
}

export function OrdersView(props: { orders: Order[]; lineCounts: Map<number, number> }) {
  return (
    <>
      <div class="page-head">
        <h1>My orders</h1>
      </div>
      <DataTable
        panel
        caption="Your orders, newest first"
        captionHidden
        rows={props.orders}
        columns={[
          { header: "Order", cell: (o) => <a href={`/orders/${o.number}`}>{o.number}</a> },
          { header: "Placed", cell: (o) => dateTime(o.createdAt) },
          { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
          { header: "Items", numeric: true, cell: (o) => props.lineCounts.get(o.id) ?? 0 },
          { header: "Total", numeric: true, cell: (o) => formatMoney(o.amountTotal, o.currency) },
        ]}
        empty={
          <p class="panel muted">
            No orders yet. <a href="/">Browse the shop</a>.
          </p>
        }
      />
    </>
  );
}

export function OrderLinesTable(props: { order: OrderWithLines }) {
  const o = props.order;
  const columns: Column<OrderLine>[] = [
    {
      header: "Product",
      cell: (l) => (
        <>
          {l.name} <span class="muted">({l.sku})</span>{" "}
          {l.isPreorder ? <span class="badge preorder">preorder</span> : null}
          {l.restockedQuantity > 0 ? <span class="muted"> · {l.restockedQuantity} returned</span> : null}
        </>
      ),
    },
    { header: "Quantity", numeric: true, cell: (l) => l.quantity },
    { header: "Unit price", numeric: true, cell: (l) => formatMoney(l.unitPriceAmount, o.currency) },
    { header: "Total", numeric: true, cell: (l) => formatMoney(l.amountTotal, o.currency) },
  ];
  return (
    <DataTable
      class="order-lines"
      caption="Order lines"
      captionHidden
      columns={columns}
      rows={o.lines}
      foot={
        <>
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
        </>
      }
    />
  );
}

export function OrderView(props: {
  order: OrderWithLines;
  justPaid: boolean;
  csrfToken: string;
  extras: CustomerOrderExtras;
}) {
  const o = props.order;
  return (
    <>
      <div class="page-head">
        <h1>Order {o.number}</h1>
        <StatusBadge status={o.status} />
      </div>
      {props.justPaid && o.status === "pending" ? (
        <Alert kind="ok">Thank you! We are confirming your payment; this page updates once it arrives.</Alert>
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
      <ShippingPanel order={o} address={props.extras.address} shipment={props.extras.shipment} />
      <CustomerRefunds refunds={props.extras.refunds} />
      <p>
        <a href="/orders">← All my orders</a>
      </p>
    </>
  );
}
