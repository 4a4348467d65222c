import type { SessionUser } from "../../../auth/index.ts";
import type { EventDetail } from "../../../payments/events/list.ts";
import type { EventRecord, RecordKind } from "../../../payments/events/records.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, NONE } from "../components/format.ts";
import { Layout } from "../layout.tsx";
import { EVENTS_PATH, EventErrorText, StatusBadge } from "./event-list.tsx";

const KIND_LABEL: Record<RecordKind, string> = {
  order: "Order",
  charge: "Charge",
  refund: "Refund",
  dispute: "Dispute",
  customer: "Customer",
  subscription: "Subscription",
  subscription_state: "Subscription state",
  invoice: "Invoice",
  invoice_payment: "Invoice payment",
  discount: "Discount",
  coupon: "Coupon",
};

function recordLink(r: EventRecord) {
  if (r.kind === "order") return <a href={`/admin/orders/${r.id}`}>Order {r.label}</a>;
  if (r.kind === "customer") return <a href={`/customers/${r.id}`}>Customer {r.id}</a>;
  return <code class="wrap-id">{r.id}</code>;
}

const RECORD_COLUMNS: Column<EventRecord>[] = [
  { header: "Record", cell: (r) => KIND_LABEL[r.kind] },
  { header: "Id", cell: recordLink },
  { header: "Now", cell: (r) => (r.kind === "order" ? NONE : r.label || NONE) },
  {
    header: "Written by this event",
    cell: (r) =>
      r.lastWrittenByEvent === null
        ? "not tracked"
        : r.lastWrittenByEvent
          ? "yes, latest"
          : "since overwritten",
  },
];

/** Fixed messages only: nothing from the query string is echoed. */
export const REPLAY_NOTICES: Record<string, { text: string; ok: boolean }> = {
  processed: { text: "Replayed: the event was applied.", ok: true },
  ignored: { text: "Replayed: the event has no handler and is ignored.", ok: true },
  skipped: { text: "Nothing to replay: the event was already processed.", ok: true },
  failed: { text: "Replayed, and it failed again: read the error below.", ok: false },
};

export function EventDetailPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  event: EventDetail;
  records: EventRecord[];
  canReplay: boolean;
  notice?: { text: string; ok: boolean };
}) {
  const { event } = props;
  const replayable = event.status === "failed" || event.status === "received";
  return (
    <Layout title={`Event ${event.id}`} user={props.user} csrfToken={props.csrfToken} path={EVENTS_PATH}>
      <div class="page-head">
        <div>
          <p>
            <a href={EVENTS_PATH}>← All webhook events</a>
          </p>
          <h1>{event.type}</h1>
          <p>
            <StatusBadge status={event.status} /> <code class="wrap-id">{event.id}</code>
          </p>
        </div>
      </div>
      {props.notice ? (
        <p class={props.notice.ok ? "alert alert-ok" : "alert alert-error"} role="status">
          {props.notice.text}
        </p>
      ) : null}
      <div class="grid two">
        <section class="panel">
          <h2>Event</h2>
          <dl class="dq-facts">
            <dt>Object</dt>
            <dd>
              {event.objectId ? (
                <code class="wrap-id">{`${event.objectType ?? "object"} ${event.objectId}`}</code>
              ) : (
                NONE
              )}
            </dd>
            <dt>Created at Stripe</dt>
            <dd>{dateTime(event.created)}</dd>
            <dt>Received</dt>
            <dd>
              {dateTime(event.receivedAt)} ({event.source})
            </dd>
            <dt>Processed</dt>
            <dd>{dateTime(event.processedAt)}</dd>
            <dt>Attempts</dt>
            <dd>{count(event.attempts)}</dd>
            <dt>Next retry</dt>
            <dd>{dateTime(event.nextAttemptAt)}</dd>
            <dt>API version</dt>
            <dd>{event.apiVersion ?? NONE}</dd>
            <dt>Mode</dt>
            <dd>{event.livemode ? "live" : "test"}</dd>
          </dl>
        </section>
        <section class="panel" id="error">
          <h2>What happened</h2>
          {event.error ? (
            <EventErrorText error={event.error} raw={event.lastError} />
          ) : (
            <p>
              {event.status === "failed" ? "The handler failed." : `No error: the event is ${event.status}.`}
            </p>
          )}
          {props.canReplay && replayable ? (
            <form
              class="event-replay"
              method="post"
              action={`/admin/webhooks/${encodeURIComponent(event.id)}/replay`}
            >
              <input type="hidden" name="_csrf" value={props.csrfToken} />
              <input type="hidden" name="next" value="event" />
              <button type="submit" class="button primary">
                Replay
              </button>{" "}
              <span class="muted">Applies the event again (safe: handlers are idempotent); audited.</span>
            </form>
          ) : null}
        </section>
      </div>
      <section class="panel" id="records">
        <h2>Records it changed</h2>
        <p class="muted">
          {event.status === "failed"
            ? "A failed event changed nothing (its writes were rolled back); these are the records it refers to."
            : "Found through the ids stored on each record (the event's object id, the order it points to)."}
        </p>
        <DataTable
          columns={RECORD_COLUMNS}
          rows={props.records}
          empty={<p class="empty">No stored record refers to this event's object.</p>}
        />
      </section>
      <section class="panel" id="payload">
        <h2>Payload</h2>
        <pre class="code payload">
          <code>{JSON.stringify(event.payload, null, 2)}</code>
        </pre>
      </section>
    </Layout>
  );
}
