import type { OrderWithLines, Shipment, ShippingAddress } from "../../../orders/index.ts";
import type { OrderRefundEntry } from "../../../payments/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { AddressBlock } from "../admin/fulfil-form.tsx";
import { dateTime } from "../components/format.ts";
import { OrderLinesTable, StatusBadge } from "./orders.tsx";

export interface CustomerOrderExtras {
  address?: ShippingAddress;
  shipment?: Shipment;
  refunds: OrderRefundEntry[];
}

/** Where the order goes and, once shipped, the parcel's carrier and tracking number. */
export function ShippingPanel(props: {
  order: OrderWithLines;
  address?: ShippingAddress;
  shipment?: Shipment;
}) {
  const o = props.order;
  return (
    <section class="panel" aria-labelledby="shipping-h">
      <h2 id="shipping-h">Delivery</h2>
      <dl class="facts">
        <dt>Ship to</dt>
        <dd>
          {props.address ? (
            <AddressBlock address={props.address} />
          ) : (
            <span class="muted">No address on file</span>
          )}
        </dd>
        <dt>Status</dt>
        <dd>
          {o.status === "fulfilled"
            ? `Shipped ${o.fulfilledAt ? dateTime(o.fulfilledAt) : ""}`
            : o.status === "paid"
              ? "Paid, being prepared for shipping"
              : o.status === "pending"
                ? "Waiting for payment"
                : o.status === "refunded"
                  ? "Refunded"
                  : "Canceled"}
        </dd>
        {props.shipment ? (
          <>
            <dt>Carrier</dt>
            <dd>{props.shipment.carrier}</dd>
            <dt>Tracking number</dt>
            <dd>
              <code class="tracking-number">{props.shipment.trackingNumber}</code>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

const REFUND_STATUS: Record<string, string> = { succeeded: "Refunded", pending: "Processing" };

/** The refunds a customer is told about: done or on their way (not ops' notes, nor refused attempts). */
export function CustomerRefunds(props: { refunds: OrderRefundEntry[] }) {
  const shown = props.refunds.filter((r) => r.status in REFUND_STATUS);
  if (shown.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="refunds-h">
      <h2 id="refunds-h">Refunds</h2>
      <ul class="refund-list">
        {shown.map((r) => (
          <li>
            <strong class="num">{formatMoney(r.amount, r.currency)}</strong> · {REFUND_STATUS[r.status]} ·{" "}
            <span class="muted">{dateTime(r.created)}</span>
          </li>
        ))}
      </ul>
      <p class="muted small">
        Refunds go back to the card you paid with; banks take a few days to show them.
      </p>
    </section>
  );
}

/** After paying: the order summary, where it ships, and what happens next. */
export function ThankYouView(props: { order: OrderWithLines; address?: ShippingAddress }) {
  const o = props.order;
  const confirmed = o.status !== "pending";
  return (
    <>
      <section class="panel thank-you">
        <p class="muted">Order {o.number}</p>
        <h1>Thank you for your order!</h1>
        <p role="status">
          {confirmed
            ? "Your payment is confirmed. We will let you know here when your order ships."
            : "We are confirming your payment; your order page shows it as soon as it arrives."}
        </p>
        <div class="actions">
          <a class="button primary" href={`/orders/${o.number}`}>
            View your order
          </a>
          <a class="button" href="/">
            Keep shopping
          </a>
        </div>
      </section>
      <div class="order-summary-grid">
        <section class="panel" aria-labelledby="summary-h">
          <h2 id="summary-h">Order summary</h2>
          <OrderLinesTable order={o} />
          <p>
            Status: <StatusBadge status={o.status} />
          </p>
        </section>
        <ShippingPanel order={o} address={props.address} />
      </div>
    </>
  );
}
