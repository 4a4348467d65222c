import type { SessionUser } from "../../../auth/index.ts";
import type { ExplainedError } from "../../../payments/events/explain-error.ts";
import type { EventFilter, EventPage, EventSummary } from "../../../payments/events/list.ts";
import { EVENT_STATUSES } from "../../../payments/schema.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { FilterSelect } from "../components/filter-select.tsx";
import { count, dateTime, NONE } from "../components/format.ts";
import { Layout } from "../layout.tsx";

export const EVENTS_PATH = "/webhooks/events";

/** The list URL for a filter (validated values only) and an optional keyset cursor. */
export function eventsHref(filter: EventFilter, cursor?: { after?: number; before?: number }): string {
  const q = new URLSearchParams();
  for (const key of ["status", "type", "from", "to"] as const) {
    const value = filter[key];
    if (value) q.set(key, value);
  }
  if (cursor?.after) q.set("after", String(cursor.after));
  if (cursor?.before) q.set("before", String(cursor.before));
  const query = q.toString();
  return query ? `${EVENTS_PATH}?${query}` : EVENTS_PATH;
}

export function eventHref(id: string): string {
  return `${EVENTS_PATH}/${encodeURIComponent(id)}`;
}

/** A failed event's error: the plain sentence, and the stored message folded under it. */
export function EventErrorText(props: { error: ExplainedError; raw: string | null }) {
  return (
    <>
      <p class="alert alert-error" data-error-kind={props.error.kind}>
        {props.error.summary}
      </p>
      <details class="raw-error">
        <summary>Technical message</summary>
        <pre class="code">
          <code>{props.raw}</code>
        </pre>
      </details>
    </>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${props.status}`}>{props.status}</span>;
}

const COLUMNS: Column<EventSummary>[] = [
  { header: "Received", cellClass: "num", cell: (e) => dateTime(e.receivedAt) },
  {
    header: "Event",
    cell: (e) => (
      <>
        <a href={eventHref(e.id)}>{e.type}</a>
        <br />
        <code class="muted wrap-id">{e.id}</code>
      </>
    ),
  },
  {
    header: "Object",
    cell: (e) => (e.objectId ? <code class="wrap-id">{e.objectId}</code> : NONE),
  },
  { header: "Status", cell: (e) => <StatusBadge status={e.status} /> },
  { header: "Attempts", numeric: true, cell: (e) => count(e.attempts) },
  { header: "Error", cellClass: "event-error", cell: (e) => e.error?.summary ?? NONE },
];

export function EventListPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  filter: EventFilter;
  page: EventPage;
}) {
  const { filter, page } = props;
  return (
    <Layout title="Webhook events" user={props.user} csrfToken={props.csrfToken} path={EVENTS_PATH}>
      <div class="page-head">
        <div>
          <h1>Webhook events</h1>
          <p class="muted">
            Every Stripe event stored in the inbox, newest first. Open one for its payload, the records it
            changed and, when it failed, what went wrong and a replay.
          </p>
        </div>
      </div>
      <form class="form inline event-filters" method="get" action={EVENTS_PATH}>
        <FilterSelect
          label="Status"
          name="status"
          any="any"
          options={EVENT_STATUSES}
          selected={filter.status}
        />
        <label>
          Type
          <input name="type" value={filter.type ?? ""} placeholder="charge.refunded or charge." />
        </label>
        <label>
          From
          <input type="date" name="from" value={filter.from ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filter.to ?? ""} />
        </label>
        <button type="submit" class="button small">
          Filter
        </button>
      </form>
      <section class="panel">
        <DataTable
          class="event-list"
          caption="Stored Stripe events"
          captionHidden
          columns={COLUMNS}
          rows={page.items}
          rowAttributes={(e) => ({ "data-event": e.id, "data-status": e.status })}
          empty={<p class="empty">No stored event matches these filters.</p>}
        />
        <nav class="pagination" aria-label="Pages">
          {page.prev ? (
            <>
              <a class="button small" href={eventsHref(filter)}>
                ⇤ Newest
              </a>
              <a class="button small" href={eventsHref(filter, { before: page.prev })} rel="prev">
                ← Newer
              </a>
            </>
          ) : null}
          <span class="muted">{count(page.items.length)} event(s) on this page</span>
          {page.next ? (
            <a class="button small" href={eventsHref(filter, { after: page.next })} rel="next">
              Older →
            </a>
          ) : null}
        </nav>
      </section>
    </Layout>
  );
}
