import type { CsvRecord } from "../../../exports/pack.ts";
import type { Issue } from "../../../monitoring/index.ts";
import type { Order } from "../../../orders/index.ts";
import { explainEventError } from "../../../payments/events/explain-error.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { age, count, dateTime, money } from "../components/format.ts";
import { eventHref } from "../webhooks/event-list.tsx";

/** Rows shown per list; totals still count every row. */
export const OPS_LIST_ROWS = 15;

function More(props: { shown: number; total: number; href?: string }) {
  if (props.total <= props.shown) return null;
  return (
    <p class="muted">
      Showing {props.shown} of {props.total}.{props.href ? <a href={props.href}> See all</a> : null}
    </p>
  );
}

const ISSUE_COLUMNS: Column<Issue>[] = [
  { header: "Severity", cell: (i) => <span class={`badge ${i.severity}`}>{i.severity}</span> },
  { header: "Issue", cell: (i) => <a href={`/monitoring/issues/${i.id}`}>{i.title}</a> },
  { header: "Check", cell: (i) => <code>{i.check}</code> },
  { header: "Seen", numeric: true, cell: (i) => `${count(i.occurrences)}×` },
  { header: "Last seen", numeric: true, cell: (i) => dateTime(i.lastSeen) },
];

export function IssuesTable(props: { issues: Issue[]; total: number }) {
  return (
    <DataTable
      columns={ISSUE_COLUMNS}
      rows={props.issues}
      empty={<p class="empty">No open issues. The last checks found nothing wrong.</p>}
    >
      <More shown={props.issues.length} total={props.total} href="/monitoring/issues?status=open" />
    </DataTable>
  );
}

const BACKLOG_COLUMNS: Column<CsvRecord>[] = [
  {
    header: "Order",
    cellClass: "order-ref",
    cell: (o) => (
      <>
        <a href={`/admin/orders/${o.order_id}`}>{String(o.order_number)}</a>
        {o.has_preorder ? <span class="badge preorder">preorder</span> : null}
      </>
    ),
  },
  { header: "Units", numeric: true, cell: (o) => count(Number(o.units)) },
  { header: "Total", numeric: true, cell: (o) => money(Number(o.amount_total), String(o.currency)) },
  {
    header: "Waiting",
    numeric: true,
    cell: (o) => (
      <>
        {o.over_sla ? (
          <span class="badge warn">over SLA</span>
        ) : o.has_preorder ? (
          <span class="badge info">ships later</span>
        ) : null}{" "}
        {age(Number(o.age_hours) * 3_600_000)}
      </>
    ),
  },
];

export function BacklogTable(props: { orders: CsvRecord[]; slaHours: number }) {
  return (
    <DataTable
      columns={BACKLOG_COLUMNS}
      rows={props.orders.slice(0, OPS_LIST_ROWS)}
      empty={<p class="empty">Every paid order has been fulfilled.</p>}
    >
      <More
        shown={Math.min(OPS_LIST_ROWS, props.orders.length)}
        total={props.orders.length}
        href="/admin/orders?status=paid"
      />
    </DataTable>
  );
}

export function PendingTable(props: { orders: Order[]; now: Date; ttlMinutes: number }) {
  const ttlMs = props.ttlMinutes * 60_000;
  const rows = props.orders
    .map((o) => ({ o, left: o.createdAt.getTime() + ttlMs - props.now.getTime() }))
    .sort((a, b) => a.left - b.left);
  const columns: Column<(typeof rows)[number]>[] = [
    { header: "Order", cell: ({ o }) => o.number },
    { header: "Total", numeric: true, cell: ({ o }) => money(o.amountTotal, o.currency) },
    {
      header: "Expires in",
      numeric: true,
      cell: ({ left }) =>
        left <= 0 ? (
          <span class="badge bad">overdue</span>
        ) : left < ttlMs / 4 ? (
          <span class="badge warn">{age(left)}</span>
        ) : (
          age(left)
        ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows.slice(0, OPS_LIST_ROWS)}
      empty={<p class="empty">No checkout is waiting for payment.</p>}
    >
      <More shown={Math.min(OPS_LIST_ROWS, rows.length)} total={rows.length} />
    </DataTable>
  );
}

const FAILED_EVENT_COLUMNS: Column<CsvRecord>[] = [
  {
    header: "Event",
    cell: (e) => (
      <a href={eventHref(String(e.event_id))}>
        <code class="wrap-id">{String(e.event_id)}</code>
      </a>
    ),
  },
  { header: "Type", cell: (e) => String(e.type) },
  { header: "Attempts", numeric: true, cell: (e) => count(Number(e.attempts)) },
  {
    // In plain words; the raw message is on the event's page.
    header: "What went wrong",
    cellClass: "event-error",
    cell: (e) => explainEventError((e.last_error as string | null) ?? null)?.summary ?? "",
  },
  { header: "Next retry", numeric: true, cell: (e) => dateTime(e.next_attempt_at as Date | null) },
];

function replayColumn(csrfToken: string): Column<CsvRecord> {
  return {
    header: "Action",
    cell: (e) => (
      <form method="post" action={`/admin/webhooks/${encodeURIComponent(String(e.event_id))}/replay`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="next" value="event" />
        <button type="submit" class="button small">
          Replay
        </button>
      </form>
    ),
  };
}

export function FailedEventsTable(props: { events: CsvRecord[]; canReplay: boolean; csrfToken: string }) {
  const columns = props.canReplay
    ? [...FAILED_EVENT_COLUMNS, replayColumn(props.csrfToken)]
    : FAILED_EVENT_COLUMNS;
  return (
    <DataTable
      columns={columns}
      rows={props.events.slice(0, OPS_LIST_ROWS)}
      empty={<p class="empty">No failed Stripe events.</p>}
    >
      <More shown={Math.min(OPS_LIST_ROWS, props.events.length)} total={props.events.length} />
    </DataTable>
  );
}
