import type { CsvRecord } from "../../../exports/pack.ts";
import type { Issue } from "../../../monitoring/index.ts";
import type { Order } from "../../../orders/index.ts";
import { age, count, dateTime, money } from "../components/format.ts";

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

export function IssuesTable(props: { issues: Issue[]; total: number }) {
  if (props.issues.length === 0)
    return <p class="empty">No open issues. The last checks found nothing wrong.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Issue</th>
            <th scope="col">Check</th>
            <th scope="col" class="num">
              Seen
            </th>
            <th scope="col" class="num">
              Last seen
            </th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((i) => (
            <tr>
              <td>
                <span class={`badge ${i.severity}`}>{i.severity}</span>
              </td>
              <td>
                <a href={`/monitoring/issues/${i.id}`}>{i.title}</a>
              </td>
              <td>
                <code>{i.check}</code>
              </td>
              <td class="num">{count(i.occurrences)}×</td>
              <td class="num">{dateTime(i.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More shown={props.issues.length} total={props.total} href="/monitoring/issues?status=open" />
    </div>
  );
}

export function BacklogTable(props: { orders: CsvRecord[]; slaHours: number }) {
  if (props.orders.length === 0) return <p class="empty">Every paid order has been fulfilled.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col" class="num">
              Units
            </th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col" class="num">
              Waiting
            </th>
          </tr>
        </thead>
        <tbody>
          {props.orders.slice(0, OPS_LIST_ROWS).map((o) => (
            <tr>
              <td>
                <a href={`/admin/orders/${o.order_id}`}>{String(o.order_number)}</a>
                {o.has_preorder ? <span class="badge preorder">preorder</span> : null}
              </td>
              <td class="num">{count(Number(o.units))}</td>
              <td class="num">{money(Number(o.amount_total), String(o.currency))}</td>
              <td class="num">
                {o.over_sla ? <span class="badge warn">over SLA</span> : null}{" "}
                {age(Number(o.age_hours) * 3_600_000)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <More
        shown={Math.min(OPS_LIST_ROWS, props.orders.length)}
        total={props.orders.length}
        href="/admin/orders?status=paid"
      />
    </div>
  );
}

export function PendingTable(props: { orders: Order[]; now: Date; ttlMinutes: number }) {
  const ttlMs = props.ttlMinutes * 60_000;
  const rows = props.orders
    .map((o) => ({ o, left: o.createdAt.getTime() + ttlMs - props.now.getTime() }))
    .sort((a, b) => a.left - b.left);
  if (rows.length === 0) return <p class="empty">No checkout is waiting for payment.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col" class="num">
              Expires in
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, OPS_LIST_ROWS).map(({ o, left }) => (
            <tr>
              <td>{o.number}</td>
              <td class="num">{money(o.amountTotal, o.currency)}</td>
              <td class="num">
                {left <= 0 ? (
                  <span class="badge bad">overdue</span>
                ) : left < ttlMs / 4 ? (
                  <span class="badge warn">{age(left)}</span>
                ) : (
                  age(left)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <More shown={Math.min(OPS_LIST_ROWS, rows.length)} total={rows.length} />
    </div>
  );
}

export function FailedEventsTable(props: { events: CsvRecord[]; canReplay: boolean; csrfToken: string }) {
  if (props.events.length === 0) return <p class="empty">No failed Stripe events.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Type</th>
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col">Last error</th>
            <th scope="col" class="num">
              Next retry
            </th>
            {props.canReplay ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.events.slice(0, OPS_LIST_ROWS).map((e) => (
            <tr>
              <td>
                <code>{String(e.event_id)}</code>
              </td>
              <td>{String(e.type)}</td>
              <td class="num">{count(Number(e.attempts))}</td>
              <td class="error-text">{String(e.last_error ?? "")}</td>
              <td class="num">{dateTime(e.next_attempt_at as Date | null)}</td>
              {props.canReplay ? (
                <td>
                  <form
                    method="post"
                    action={`/admin/webhooks/${encodeURIComponent(String(e.event_id))}/replay`}
                  >
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <button type="submit" class="button small">
                      Replay
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <More shown={Math.min(OPS_LIST_ROWS, props.events.length)} total={props.events.length} />
    </div>
  );
}
