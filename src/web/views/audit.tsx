import type { auditLog } from "../../audit/schema.ts";
import type { SessionUser } from "../../auth/index.ts";
import { type AuditQuery, auditQueryString } from "./audit-filter.ts";
import { actorLabel, type People } from "./components/actor.ts";
import { Alert } from "./components/alert.tsx";
import { DataTable } from "./components/data-table.tsx";
import { dateTime } from "./components/format.ts";
import { Pagination } from "./components/pagination.tsx";
import { Layout } from "./layout.tsx";

type AuditRow = typeof auditLog.$inferSelect;

export interface AuditPageProps {
  user: SessionUser | null;
  csrfToken: string;
  query: AuditQuery;
  rows: AuditRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Staff users (id, display name, role), for the actor column and the user filter. */
  people: Array<{ id: string; name: string; role: string }>;
}

export function AuditPage(props: AuditPageProps) {
  const people: People = new Map(props.people.map((p) => [p.id, p]));
  const qs = auditQueryString(props.query);
  return (
    <Layout title="Audit log" user={props.user} csrfToken={props.csrfToken} path="/audit">
      <div class="page-head">
        <div>
          <h1>Audit log</h1>
          <p class="muted">Every change, who made it and when. Append-only and hash-chained.</p>
        </div>
        <a class="button" href={`/audit/export.csv${qs}`} download>
          Export this view (CSV)
        </a>
      </div>
      <div id="chain-status" hx-get="/audit/verify" hx-trigger="load" hx-swap="innerHTML">
        <Alert kind="warn">
          Chain not checked yet. <a href="/audit/verify">Verify the hash chain</a>
        </Alert>
      </div>
      <AuditFilterForm query={props.query} people={props.people} />
      <section class="panel">
        <h2 class="visually-hidden">Events</h2>
        <AuditTable rows={props.rows} people={people} />
        <Pagination
          page={props.page}
          pageSize={props.pageSize}
          total={props.total}
          href={(p) => `/audit${auditQueryString(props.query, p)}`}
        />
      </section>
    </Layout>
  );
}

function AuditFilterForm(props: { query: AuditQuery; people: AuditPageProps["people"] }) {
  const q = props.query;
  return (
    <form
      method="get"
      action="/audit"
      class="panel form inline audit-filters"
      aria-label="Filter the audit log"
    >
      <label>
        User
        <select name="actor">
          <option value="">Anyone</option>
          {props.people.map((p) => (
            <option value={p.id} selected={q.actor === p.id}>
              {actorLabel({ type: "user", id: p.id }, new Map([[p.id, p]]))}
            </option>
          ))}
        </select>
      </label>
      <label>
        Action
        <input name="action" value={q.action ?? ""} placeholder="e.g. user.set_role" />
      </label>
      <label>
        Target type
        <input name="targetType" value={q.targetType ?? ""} placeholder="e.g. order" size={10} />
      </label>
      <label>
        Target id
        <input name="targetId" value={q.targetId ?? ""} size={8} />
      </label>
      <label>
        From (UTC)
        <input type="date" name="from" value={q.from ?? ""} />
      </label>
      <label>
        To (UTC)
        <input type="date" name="to" value={q.to ?? ""} />
      </label>
      <button type="submit" class="button primary">
        Filter
      </button>
      <a class="button" href="/audit">
        Clear
      </a>
    </form>
  );
}

function summary(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function AuditTable(props: { rows: AuditRow[]; people: People }) {
  return (
    <DataTable
      class="audit-table"
      rows={props.rows}
      empty={<p class="muted">No events match this filter.</p>}
      columns={[
        { header: "#", numeric: true, cell: (row) => row.seq },
        { header: "When", cellClass: "num", cell: (row) => dateTime(row.at) },
        {
          header: "Who",
          cell: (row) =>
            actorLabel({ type: row.actorType, id: row.actorId, role: row.actorRole }, props.people),
        },
        {
          header: "Action",
          cell: (row) => (
            <a href={`/audit?action=${encodeURIComponent(row.action)}`}>
              <code>{row.action}</code>
            </a>
          ),
        },
        {
          header: "Target",
          cell: (row) => (
            <>
              {row.targetType}
              {row.targetId ? (
                <>
                  {" "}
                  <code>{row.targetId}</code>
                </>
              ) : null}
            </>
          ),
        },
        {
          header: "Change",
          cellClass: "change",
          cell: (row) => (
            <>
              {row.before ? <span class="muted">{summary(row.before)} → </span> : null}
              <code>{summary(row.after)}</code>
            </>
          ),
        },
      ]}
    />
  );
}

export function ChainStatus(props: {
  ok: boolean;
  rows: number;
  message?: string;
  lastSeq?: number | null;
  lastHash?: string | null;
}) {
  return props.ok ? (
    <Alert kind="ok" data-chain="ok">
      ✓ Hash chain intact: {props.rows} event(s) verified
      {props.lastSeq ? (
        <>
          , last #{props.lastSeq} <code data-last-hash>{props.lastHash}</code>
        </>
      ) : null}
      .
    </Alert>
  ) : (
    <Alert kind="error" data-chain="broken">
      ✗ Hash chain broken: {props.message}. See the audit runbook.
    </Alert>
  );
}
