import type { OrderWithLines } from "../../../orders/index.ts";
import type { DisputeListRow, OrderRefundEntry } from "../../../payments/index.ts";
import { formatMoney, toDecimalString } from "../../../shared/money.ts";
import { actorLabel, type People, parseActorText } from "../components/actor.ts";
import { Alert } from "../components/alert.tsx";
import { DataTable } from "../components/data-table.tsx";
import { dateTime } from "../components/format.ts";
import { Csrf } from "../shop/components.tsx";

/** Stripe's refund reasons, as the refund API takes them. */
const REFUND_REASONS = [
  ["requested_by_customer", "Requested by customer"],
  ["duplicate", "Duplicate payment"],
  ["fraudulent", "Fraudulent"],
] as const;

/** A refund's status as a badge colour: done, in flight, or not happening. */
export function refundTone(status: string): string {
  if (status === "succeeded") return "good";
  if (status === "failed" || status === "canceled" || status === "not_sent") return "bad";
  return "pending";
}

const STATUS_WORDS: Record<string, string> = {
  requested: "requested, waiting for Stripe",
  not_sent: "refused by Stripe",
  requires_action: "requires action",
};

export function RefundStatus(props: { status: string }) {
  return (
    <span class={`badge ${refundTone(props.status)}`}>{STATUS_WORDS[props.status] ?? props.status}</span>
  );
}

/** Money still refundable: the total less what is refunded and what is on its way. */
export function refundableOf(order: OrderWithLines, refunds: OrderRefundEntry[]): number {
  const succeeded = refunds.filter((r) => r.status === "succeeded").reduce((s, r) => s + r.amount, 0);
  const inFlight = refunds
    .filter((r) => refundTone(r.status) === "pending")
    .reduce((s, r) => s + r.amount, 0);
  return Math.max(0, order.amountTotal - Math.max(order.amountRefunded, succeeded) - inFlight);
}

/** One refund as a line of the order's history. */
export function RefundHistoryItem(props: { refund: OrderRefundEntry; people: People }) {
  const r = props.refund;
  const details = [
    dateTime(r.created),
    r.reason ? r.reason.replaceAll("_", " ") : null,
    r.restock === "all" ? "every unit put back" : r.restock === "lines" ? "units put back" : null,
    r.requestedBy ? `by ${actorLabel(parseActorText(r.requestedBy), props.people)}` : "made in Stripe",
  ].filter(Boolean);
  return (
    <li data-refund={r.id}>
      <strong>
        Refund {formatMoney(r.amount, r.currency)}
        {r.provisional ? " (provisional)" : ""}
      </strong>{" "}
      <RefundStatus status={r.status} />
      <div class="muted">{details.join(" · ")}</div>
      {r.note ? <div>{r.note}</div> : null}
      {r.error ? <div class="muted">Stripe said: {r.error}</div> : null}
    </li>
  );
}

export interface RefundFormState {
  /** What was typed, shown again with the error. */
  values: Record<string, string>;
  error: { field: string | null; message: string };
}

/**
 * The refund panel: a disclosure that opens without JavaScript (and opens by itself when the last
 * attempt was refused, with what was typed and the reason beside the field). Amount in the
 * currency's units; units to put back per line, at most what was sold and not yet restocked.
 */
export function RefundPanel(props: {
  order: OrderWithLines;
  refundable: number;
  csrfToken: string;
  idempotencyKey: string;
  state?: RefundFormState;
}) {
  const o = props.order;
  const v = props.state?.values ?? {};
  const err = props.state?.error;
  const invalid = (field: string) => (err?.field === field ? "true" : undefined);
  const example = toDecimalString(props.refundable, o.currency);
  return (
    <details class="refund-panel panel" id="refund" open={err !== undefined}>
      <summary class="button">Refund…</summary>
      <form method="post" action={`/admin/orders/${o.number}/refunds`} class="form" aria-label="Refund">
        <Csrf token={props.csrfToken} />
        <input type="hidden" name="idempotency_key" value={props.idempotencyKey} />
        <h2>Refund order {o.number}</h2>
        {err ? <Alert kind="error">{err.message}</Alert> : null}
        <label for="refund-amount">Amount ({o.currency.toUpperCase()})</label>
        <input
          id="refund-amount"
          name="amount"
          inputmode="decimal"
          autocomplete="off"
          required
          value={v.amount ?? ""}
          placeholder={example}
          aria-invalid={invalid("amount")}
          aria-describedby="refund-amount-hint"
        />
        <p id="refund-amount-hint" class="hint muted">
          Up to {formatMoney(props.refundable, o.currency)} still refundable, in {o.currency.toUpperCase()}{" "}
          (e.g. {example}), not in cents.
        </p>
        <label for="refund-reason">Refund reason</label>
        <select id="refund-reason" name="reason" aria-invalid={invalid("reason")}>
          {REFUND_REASONS.map(([value, label]) => (
            <option value={value} selected={(v.reason ?? "requested_by_customer") === value}>
              {label}
            </option>
          ))}
        </select>
        <label for="refund-note">Note (optional, kept with the refund)</label>
        <textarea id="refund-note" name="note" maxlength={500} aria-invalid={invalid("note")}>
          {v.note ?? ""}
        </textarea>
        <fieldset class="restock-lines">
          <legend>Put back in stock</legend>
          {o.lines.map((l) => {
            const left = l.quantity - l.restockedQuantity;
            const field = `restock_line_${l.id}`;
            return (
              <label class="restock-line">
                <span>
                  {l.name} <span class="muted">({l.sku})</span>
                  <span class="muted">
                    {" "}
                    · sold {l.quantity}
                    {l.restockedQuantity ? `, ${l.restockedQuantity} already back` : ""}
                  </span>
                </span>
                <input
                  type="number"
                  name={field}
                  min={0}
                  max={left}
                  step={1}
                  value={v[field] ?? "0"}
                  disabled={left === 0}
                  aria-invalid={invalid(field)}
                  aria-label={`Units of ${l.name} to put back`}
                />
              </label>
            );
          })}
          {err?.field === "restock" ? <p class="hint">{err.message}</p> : null}
        </fieldset>
        <button type="submit" class="button danger">
          Refund
        </button>
        <p class="hint muted">
          Stripe is asked right away; the refund shows in the history below with Stripe's status.
        </p>
      </form>
    </details>
  );
}

/** Disputes of one order or of the shop: status, amount and when evidence is due. */
export function DisputesList(props: { disputes: DisputeListRow[]; now: Date; showOrder?: boolean }) {
  return (
    <DataTable
      caption="Disputes"
      captionHidden
      rows={props.disputes}
      empty={<p class="empty">No disputes.</p>}
      rowAttributes={(d) => ({ "data-dispute": d.id })}
      columns={[
        { header: "Opened", cell: (d) => dateTime(d.created) },
        ...(props.showOrder
          ? [
              {
                header: "Order",
                cell: (d: DisputeListRow) =>
                  d.orderNumber ? <a href={`/admin/orders/${d.orderNumber}`}>{d.orderNumber}</a> : "—",
              },
            ]
          : []),
        {
          header: "Status",
          cell: (d) => (
            <>
              <span class={`badge ${d.needsResponse ? "warning" : d.status === "lost" ? "bad" : "info"}`}>
                {d.status.replaceAll("_", " ")}
              </span>
              {d.inquiry ? <span class="muted"> inquiry</span> : null}
            </>
          ),
        },
        { header: "Reason", cell: (d) => (d.reason ?? "not given").replaceAll("_", " ") },
        {
          header: "Evidence due",
          cell: (d) => <EvidenceDue dispute={d} now={props.now} />,
        },
        { header: "Amount", numeric: true, cell: (d) => formatMoney(d.amount, d.currency) },
      ]}
    />
  );
}

function EvidenceDue(props: { dispute: DisputeListRow; now: Date }) {
  const d = props.dispute;
  if (!d.evidenceDueBy) return <span class="muted">—</span>;
  if (!d.needsResponse) return <span class="muted">{dateTime(d.evidenceDueBy)}</span>;
  const hours = (d.evidenceDueBy.getTime() - props.now.getTime()) / 3_600_000;
  if (hours < 0) return <strong class="overdue">{dateTime(d.evidenceDueBy)} (past due)</strong>;
  const left = hours < 48 ? `${Math.floor(hours)} h left` : `${Math.floor(hours / 24)} days left`;
  return (
    <strong class={hours < 72 ? "overdue" : undefined}>
      {dateTime(d.evidenceDueBy)} ({left})
    </strong>
  );
}
