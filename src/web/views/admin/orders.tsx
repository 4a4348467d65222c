import { ORDER_STATUSES, type Order, type OrderWithLines } from "../../../orders/index.ts";
import type { orderEvents } from "../../../orders/schema.ts";
import { formatMoney } from "../../../shared/money.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { dateTime } from "../components/format.ts";
import { Csrf } from "../shop/components.tsx";
import { OrderLinesTable, StatusBadge } from "../shop/orders.tsx";

type OrderEvent = typeof orderEvents.$inferSelect;

const ORDER_COLUMNS: Column<Order>[] = [
  { header: "Order", cell: (o) => <a href={`/admin/orders/${o.id}`}>{o.number}</a> },
  { header: "Placed", cell: (o) => dateTime(o.createdAt) },
  { header: "Customer", cell: (o) => `#${o.customerId}` },
  { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
  { header: "Total", numeric: true, cell: (o) => formatMoney(o.amountTotal, o.currency) },
  {
    header: "Refunded",
    numeric: true,
    cell: (o) => (o.amountRefunded ? formatMoney(o.amountRefunded, o.currency) : "—"),
  },
];

export function AdminOrdersView(props: {
  orders: Order[];
  total: number;
  status?: string;
  page: number;
  pageSize: number;
}) {
  const last = Math.max(1, Math.ceil(props.total / props.pageSize));
  const link = (page: number) => `/admin/orders?page=${page}${props.status ? `&status=${props.status}` : ""}`;
  return (
    <>
      <div class="page-head">
        <h1>Orders</h1>
        <nav class="segmented" aria-label="Filter by status">
          <a href="/admin/orders" aria-current={props.status ? undefined : "true"}>
            all
          </a>
          {ORDER_STATUSES.map((s) => (
            <a href={`/admin/orders?status=${s}`} aria-current={props.status === s ? "true" : undefined}>
              {s}
            </a>
          ))}
        </nav>
      </div>
      <DataTable
        panel
        caption="Orders, newest first"
        captionHidden
        columns={ORDER_COLUMNS}
        rows={props.orders}
      >
        {props.orders.length === 0 ? <p class="muted">No orders match.</p> : null}
      </DataTable>
      <nav class="pagination" aria-label="Pages">
        {props.page > 1 ? <a href={link(props.page - 1)}>← Newer</a> : null}
        <span class="muted">
          {" "}
          Page {props.page} of {last} ({props.total} orders){" "}
        </span>
        {props.page < last ? <a href={link(props.page + 1)}>Older →</a> : null}
      </nav>
    </>
  );
}

function ReasonForm(props: {
  action: string;
  label: string;
  danger?: boolean;
  csrfToken: string;
  id: string;
}) {
  return (
    <form method="post" action={props.action} class="form ops-action">
      <Csrf token={props.csrfToken} />
      <label for={props.id}>Reason</label>
      <input id={props.id} name="reason" required minlength={3} maxlength={500} />
      <button type="submit" class={`button ${props.danger ? "danger" : "primary"}`}>
        {props.label}
      </button>
    </form>
  );
}

export function AdminOrderView(props: {
  order: OrderWithLines;
  events: OrderEvent[];
  canManage: boolean;
  csrfToken: string;
  notice?: string;
}) {
  const o = props.order;
  return (
    <>
      <div class="page-head">
        <h1>Order {o.number}</h1>
        <StatusBadge status={o.status} />
      </div>
      {props.notice ? (
        <p class="alert alert-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <div class="grid two">
        <section class="panel">
          <h2>Lines</h2>
          <p class="muted">
            Customer #{o.customerId} · placed {dateTime(o.createdAt)}
            {o.stripePaymentIntentId ? ` · ${o.stripePaymentIntentId}` : ""}
          </p>
          <OrderLinesTable order={o} />
        </section>
        <section class="panel">
          <h2>History</h2>
          <ol class="timeline">
            {props.events.map((e) => (
              <li>
                <strong>
                  {e.fromStatus ? `${e.fromStatus} → ${e.toStatus}` : `created (${e.toStatus})`}
                </strong>{" "}
                <span class="muted">
                  {dateTime(e.at)} · {e.actorType}
                  {e.actorId ? ` ${e.actorId}` : ""}
                </span>
                {e.reason ? <div>{e.reason}</div> : null}
              </li>
            ))}
          </ol>
          {props.canManage && o.status === "paid" ? (
            <ReasonForm
              action={`/admin/orders/${o.id}/fulfill`}
              label="Mark fulfilled"
              csrfToken={props.csrfToken}
              id="fulfill-reason"
            />
          ) : null}
          {props.canManage && o.status === "pending" ? (
            <ReasonForm
              action={`/admin/orders/${o.id}/cancel`}
              label="Cancel order"
              danger
              csrfToken={props.csrfToken}
              id="cancel-reason"
            />
          ) : null}
        </section>
      </div>
    </>
  );
}
