import {
  COUNT_CAP,
  ORDER_STATUSES,
  type OrderCursor,
  type OrderListPage,
  type OrderListRow,
  type OrderWithLines,
  type Shipment,
  type ShippingAddress,
} from "../../../orders/index.ts";
import type { orderEvents } from "../../../orders/schema.ts";
import type { DisputeListRow, OrderRefundEntry } from "../../../payments/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { actorLabel, type People } from "../components/actor.ts";
import { Alert } from "../components/alert.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime } from "../components/format.ts";
import type { CustomerIdentity } from "../customers/identity.ts";
import { Csrf } from "../shop/components.tsx";
import { OrderLinesTable, StatusBadge } from "../shop/orders.tsx";
import { FulfilForm, ShippingFacts } from "./fulfil-form.tsx";
import {
  DisputesList,
  type RefundFormState,
  RefundHistoryItem,
  RefundPanel,
  refundableOf,
} from "./order-refunds.tsx";

type OrderEvent = typeof orderEvents.$inferSelect;

/** The list's filters as typed (kept in the URL), for the form, the links and the pager. */
export interface OrderListQuery {
  status?: string;
  from?: string;
  to?: string;
  customer?: string;
  currency?: string;
  min?: string;
  max?: string;
  q?: string;
}

const FILTER_KEYS = ["q", "status", "from", "to", "customer", "currency", "min", "max"] as const;

/** `/admin/orders?…` with the filters kept, `extra` added (a cursor) or a filter replaced. */
export function ordersHref(query: OrderListQuery, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = key in extra ? extra[key] : query[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value && !(FILTER_KEYS as readonly string[]).includes(key)) params.set(key, value);
  }
  const text = params.toString();
  return text ? `/admin/orders?${text}` : "/admin/orders";
}

/** A list row with its customer as the viewer may see them (name and e-mail, or a pseudonym). */
export type OrderListItem = OrderListRow & { who: CustomerIdentity | null };

const ORDER_COLUMNS: Column<OrderListItem>[] = [
  { header: "Order", cell: (o) => <a href={`/admin/orders/${o.number}`}>{o.number}</a> },
  { header: "Placed", cell: (o) => dateTime(o.createdAt) },
  { header: "Customer", cell: (o) => <CustomerCell id={o.customerId} who={o.who} /> },
  { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
  { header: "Total", numeric: true, cell: (o) => formatMoney(o.amountTotal, o.currency) },
  {
    header: "Refunded",
    numeric: true,
    cell: (o) => (o.amountRefunded ? formatMoney(o.amountRefunded, o.currency) : "—"),
  },
];

/** The customer, linked to their profile: name over e-mail, or the pseudonym the viewer may see. */
function CustomerCell(props: { id: number; who: CustomerIdentity | null }) {
  return (
    <a href={`/customers/${props.id}`} class="customer-cell">
      <span>{props.who?.name ?? `Customer #${props.id}`}</span>
      {props.who?.email ? <span class="muted">{props.who.email}</span> : null}
    </a>
  );
}

const cursorText = (c: OrderCursor) => `${c.createdAt.toISOString()}_${c.id}`;

export function AdminOrdersView(props: {
  page: OrderListPage;
  rows: OrderListItem[];
  query: OrderListQuery;
  pageSize: number;
  /** The viewer may search by customers' e-mails and names. */
  personal: boolean;
}) {
  const q = props.query;
  const { rows } = props;
  const { matches, older, newer } = props.page;
  const filtered = FILTER_KEYS.some((k) => q[k]);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Orders</h1>
          <a href="/admin/disputes">Disputes and evidence deadlines →</a>
        </div>
        <nav class="segmented status-nav" aria-label="Filter by status">
          <a href={ordersHref(q, { status: undefined })} aria-current={q.status ? undefined : "true"}>
            all
          </a>
          {ORDER_STATUSES.map((s) => (
            <a href={ordersHref(q, { status: s })} aria-current={q.status === s ? "true" : undefined}>
              {s}
            </a>
          ))}
        </nav>
      </div>
      <form
        method="get"
        action="/admin/orders"
        class="panel form inline order-filters"
        aria-label="Filter orders"
      >
        <label class="grow">
          Search
          <input
            type="search"
            name="q"
            value={q.q ?? ""}
            placeholder={props.personal ? "RI-002392, e-mail or name" : "RI-002392, order id or pi_…"}
            aria-describedby="order-search-hint"
          />
        </label>
        <label>
          Status
          <select name="status">
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option value={s} selected={q.status === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={q.from ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="to" value={q.to ?? ""} />
        </label>
        <label>
          Customer
          <input
            name="customer"
            value={q.customer ?? ""}
            placeholder={props.personal ? "id, e-mail or name" : "customer id"}
            size={14}
          />
        </label>
        <label>
          Currency
          <input name="currency" value={q.currency ?? ""} placeholder="usd" size={4} maxlength={3} />
        </label>
        <label>
          Min amount
          <input name="min" value={q.min ?? ""} inputmode="decimal" placeholder="0.00" size={7} />
        </label>
        <label>
          Max amount
          <input name="max" value={q.max ?? ""} inputmode="decimal" placeholder="999.00" size={7} />
        </label>
        <button type="submit" class="button primary">
          Filter
        </button>
        {filtered ? (
          <a class="button" href="/admin/orders">
            Clear
          </a>
        ) : null}
        <p id="order-search-hint" class="hint muted">
          Order number or id, a payment intent (pi_…), or the start of a customer's e-mail or name. Amounts in
          the currency's units (12.50), dates in the reporting time zone.
        </p>
      </form>
      <DataTable panel caption="Orders, newest first" captionHidden columns={ORDER_COLUMNS} rows={rows}>
        {rows.length === 0 ? <p class="muted">No orders match.</p> : null}
      </DataTable>
      <nav class="pagination" aria-label="Pages">
        {newer ? <a href={ordersHref(q, { before: cursorText(newer) })}>← Newer</a> : null}
        <span class="muted">
          {" "}
          {matches > COUNT_CAP ? `More than ${count(COUNT_CAP)}` : count(matches)}{" "}
          {matches === 1 ? "order" : "orders"}
          {filtered ? " match" : ""} · {props.pageSize} a page{" "}
        </span>
        {older ? <a href={ordersHref(q, { after: cursorText(older) })}>Older →</a> : null}
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

export interface AdminOrderData {
  order: OrderWithLines;
  customer: CustomerIdentity | null;
  events: OrderEvent[];
  refunds: OrderRefundEntry[];
  disputes: DisputeListRow[];
  /** The users named in the history (by id), to say who did what. */
  people: People;
  now: Date;
  /** Where the order ships and, once fulfilled, the parcel's carrier and tracking number. */
  shipping?: { address?: ShippingAddress; shipment?: Shipment };
}

type HistoryItem = { at: Date; event: OrderEvent } | { at: Date; refund: OrderRefundEntry };

export function AdminOrderView(
  props: AdminOrderData & {
    canManage: boolean;
    canRefund: boolean;
    csrfToken: string;
    idempotencyKey: string;
    refundState?: RefundFormState;
    notice?: string;
  },
) {
  const o = props.order;
  const refundable = refundableOf(o, props.refunds);
  const history: HistoryItem[] = [
    ...props.events.map((event) => ({ at: event.at, event })),
    ...props.refunds.map((refund) => ({ at: refund.created, refund })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const refundableStatus = o.status === "paid" || o.status === "fulfilled";
  return (
    <>
      <div class="page-head">
        <h1>Order {o.number}</h1>
        <StatusBadge status={o.status} />
      </div>
      {props.notice ? <Alert kind="ok">{props.notice}</Alert> : null}
      {props.canRefund && refundableStatus && refundable > 0 ? (
        <RefundPanel
          order={o}
          refundable={refundable}
          csrfToken={props.csrfToken}
          idempotencyKey={props.idempotencyKey}
          state={props.refundState}
        />
      ) : null}
      <div class="grid two">
        <section class="panel">
          <h2>Lines</h2>
          <p class="muted">
            <a href={`/customers/${o.customerId}`}>
              {props.customer?.name ?? `Customer #${o.customerId}`}
              {props.customer?.email ? ` <${props.customer.email}>` : ""}
            </a>{" "}
            · placed {dateTime(o.createdAt)}
            {o.stripePaymentIntentId ? ` · ${o.stripePaymentIntentId}` : ""}
          </p>
          <OrderLinesTable order={o} />
          {refundableStatus ? (
            <p class="muted">
              Still refundable: <strong class="num">{formatMoney(refundable, o.currency)}</strong>
            </p>
          ) : null}
          {props.shipping ? (
            <>
              <h3>Shipping</h3>
              <ShippingFacts address={props.shipping.address} shipment={props.shipping.shipment} />
            </>
          ) : null}
        </section>
        <section class="panel">
          <h2>History</h2>
          <ol class="timeline">
            {history.map((item) =>
              "refund" in item ? (
                <RefundHistoryItem refund={item.refund} people={props.people} />
              ) : (
                <li>
                  <strong>
                    {item.event.fromStatus
                      ? `${item.event.fromStatus} → ${item.event.toStatus}`
                      : `created (${item.event.toStatus})`}
                  </strong>{" "}
                  <span class="muted">
                    {dateTime(item.event.at)} · by{" "}
                    {actorLabel({ type: item.event.actorType, id: item.event.actorId }, props.people)}
                  </span>
                  {item.event.reason ? <div>{item.event.reason}</div> : null}
                </li>
              ),
            )}
          </ol>
          {props.canManage && o.status === "paid" ? (
            <FulfilForm action={`/admin/orders/${o.number}/fulfill`} csrfToken={props.csrfToken} />
          ) : null}
          {props.canManage && o.status === "pending" ? (
            <ReasonForm
              action={`/admin/orders/${o.number}/cancel`}
              label="Cancel order"
              danger
              csrfToken={props.csrfToken}
              id="cancel-reason"
            />
          ) : null}
        </section>
      </div>
      {props.disputes.length > 0 ? (
        <section class="panel">
          <h2>Disputes</h2>
          <DisputesList disputes={props.disputes} now={props.now} />
        </section>
      ) : null}
    </>
  );
}
