import type { Child } from "hono/jsx";
import type { AuditRow } from "../../../audit/index.ts";
import type { Issue } from "../../../monitoring/index.ts";
import { orderNumberFor, type WishlistEntry } from "../../../orders/index.ts";
import type { ChargeRow, DisputeRow, RefundRow } from "../../../payments/index.ts";
import type { CustomerSubscription } from "../../../subscriptions/index.ts";
import { actorLabel, type People } from "../components/actor.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, money, NONE } from "../components/format.ts";
import { PROFILE_ROWS } from "./load-profile.ts";

const badge = (status: string) => <span class={`badge ${status}`}>{status}</span>;
const code = (text: string | null) => (text ? <code>{text}</code> : NONE);
/** Order numbers of the orders the profile lists; any other order's number is its id's (orderNumberFor). */
export type OrderNumbers = ReadonlyMap<number, string>;
const orderLink = (orderId: number | null, numbers: OrderNumbers) => {
  if (!orderId) return NONE;
  const number = numbers.get(orderId) ?? orderNumberFor(orderId);
  return <a href={`/admin/orders/${number}`}>{number}</a>;
};

/** A titled section of the profile; `count` in the heading, and a note when the list is cut. */
export function Section(props: {
  id: string;
  title: string;
  shown?: number;
  total?: number;
  children?: Child;
}) {
  const cut = props.total !== undefined && props.shown !== undefined && props.total > props.shown;
  return (
    <section class="panel profile-section" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>
        {props.title}
        {props.total === undefined ? null : <span class="muted"> ({count(props.total)})</span>}
      </h2>
      {props.children}
      {cut ? <p class="muted">Showing the newest {props.shown}.</p> : null}
    </section>
  );
}

/** A section holding one table of rows, cut at PROFILE_ROWS (the section says so). */
function TableSection<Row>(props: {
  id: string;
  title: string;
  rows: readonly Row[];
  columns: Column<Row>[];
}) {
  const cut = props.rows.length >= PROFILE_ROWS;
  return (
    <Section id={props.id} title={props.title}>
      <DataTable columns={props.columns} rows={props.rows} empty={<p class="muted">None.</p>} />
      {cut ? <p class="muted">Showing the newest {PROFILE_ROWS}.</p> : null}
    </Section>
  );
}

export function PaymentsSection(props: { charges: readonly ChargeRow[]; orderNumbers: OrderNumbers }) {
  return (
    <TableSection
      id="payments"
      title="Payments"
      rows={props.charges}
      columns={[
        { header: "Charge", rowHeader: true, cell: (c) => code(c.id) },
        { header: "Created", cell: (c) => dateTime(c.created) },
        { header: "Status", cell: (c) => badge(c.status) },
        { header: "Order", cell: (c) => orderLink(c.orderId, props.orderNumbers) },
        { header: "Amount", numeric: true, cell: (c) => money(c.amountCaptured ?? c.amount, c.currency) },
        {
          header: "Refunded",
          numeric: true,
          cell: (c) => (c.amountRefunded ? money(c.amountRefunded, c.currency) : NONE),
        },
      ]}
    />
  );
}

export function RefundsSection(props: { refunds: readonly RefundRow[]; orderNumbers: OrderNumbers }) {
  return (
    <TableSection
      id="refunds"
      title="Refunds"
      rows={props.refunds}
      columns={[
        { header: "Refund", rowHeader: true, cell: (r) => code(r.id) },
        { header: "Created", cell: (r) => dateTime(r.created) },
        { header: "Status", cell: (r) => badge(r.provisional ? "provisional" : r.status) },
        { header: "Reason", cell: (r) => r.reason ?? NONE },
        { header: "Order", cell: (r) => orderLink(r.orderId, props.orderNumbers) },
        { header: "Amount", numeric: true, cell: (r) => money(r.amount, r.currency) },
      ]}
    />
  );
}

export function DisputesSection(props: { disputes: readonly DisputeRow[] }) {
  return (
    <TableSection
      id="disputes"
      title="Disputes"
      rows={props.disputes}
      columns={[
        { header: "Dispute", rowHeader: true, cell: (d) => code(d.id) },
        { header: "Opened", cell: (d) => dateTime(d.created) },
        { header: "Status", cell: (d) => badge(d.status) },
        { header: "Reason", cell: (d) => d.reason ?? NONE },
        { header: "Charge", cell: (d) => code(d.chargeId) },
        { header: "Amount", numeric: true, cell: (d) => money(d.amount, d.currency) },
      ]}
    />
  );
}

export function SubscriptionsSection(props: { subscriptions: readonly CustomerSubscription[] }) {
  return (
    <Section id="subscriptions" title="Subscriptions">
      {props.subscriptions.length === 0 ? <p class="muted">No subscriptions.</p> : null}
      {props.subscriptions.map((s) => (
        <article class="subscription" data-subscription={s.id}>
          <h3>
            <code>{s.id}</code> {badge(s.status)} <span class="muted">MRR {money(s.mrr, s.currency)}</span>
          </h3>
          <p class="muted">
            Since {dateTime(s.created)}
            {s.canceledAt ? ` · canceled ${dateTime(s.canceledAt)}` : ""}
            {s.cancelAtPeriodEnd ? " · cancels at period end" : ""}
          </p>
          <DataTable
            caption="State history"
            rows={s.history}
            empty={<p class="muted">No recorded states.</p>}
            columns={[
              { header: "At", cell: (h) => dateTime(h.at) },
              { header: "Status", cell: (h) => badge(h.status) },
              { header: "MRR", numeric: true, cell: (h) => money(h.mrr, s.currency) },
              { header: "Event", cell: (h) => code(h.eventId) },
            ]}
          />
        </article>
      ))}
    </Section>
  );
}

export function WishlistSection(props: { wishlist: readonly WishlistEntry[]; linkProducts: boolean }) {
  return (
    <TableSection
      id="wishlist"
      title="Wishlist"
      rows={props.wishlist}
      columns={[
        {
          header: "Product",
          rowHeader: true,
          cell: (w) => (
            <a href={props.linkProducts ? `/admin/products/${w.product.id}` : `/products/${w.product.id}`}>
              {w.product.name}
            </a>
          ),
        },
        { header: "SKU", cell: (w) => code(w.product.sku) },
        { header: "Added", cell: (w) => dateTime(w.addedAt) },
        { header: "Price", numeric: true, cell: (w) => money(w.product.priceAmount, w.product.currency) },
      ]}
    />
  );
}

export function IssuesSection(props: { issues: readonly Issue[] }) {
  return (
    <TableSection
      id="issues"
      title="Data-quality issues"
      rows={props.issues}
      columns={[
        {
          header: "Issue",
          rowHeader: true,
          cell: (i) => <a href={`/monitoring/issues/${i.id}`}>{i.title}</a>,
        },
        { header: "Check", cell: (i) => i.check },
        { header: "Severity", cell: (i) => badge(i.severity) },
        { header: "Status", cell: (i) => badge(i.status) },
        { header: "Last seen", cell: (i) => dateTime(i.lastSeen) },
      ]}
    />
  );
}

export function AuditSection(props: { events: readonly AuditRow[]; people: People }) {
  return (
    <TableSection
      id="audit"
      title="Audit events"
      rows={props.events}
      columns={[
        { header: "At", cell: (e) => dateTime(e.at) },
        { header: "Action", rowHeader: true, cell: (e) => code(e.action) },
        { header: "Target", cell: (e) => `${e.targetType} ${e.targetId ?? ""}`.trim() },
        {
          header: "Actor",
          cell: (e) => actorLabel({ type: e.actorType, id: e.actorId, role: e.actorRole }, props.people),
        },
      ]}
    />
  );
}
