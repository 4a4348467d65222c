import type { SnapshotBuildRecord, SnapshotCoverage, SnapshotStatus } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import { actorLabel, type People } from "../components/actor.ts";
import { Alert } from "../components/alert.tsx";
import { DataTable } from "../components/data-table.tsx";
import { count, dateTime, day } from "../components/format.ts";
import { type FormError, LabelledInput } from "../components/labelled-input.tsx";
import { Layout } from "../layout.tsx";

export interface SnapshotsPageProps {
  user: SessionUser | null;
  csrfToken: string;
  status: SnapshotStatus;
  people: People;
  timezone: string;
  /** The form's values: the query's days (from an issue's link) or the last 30 days. */
  from: string;
  to: string;
  /** The result of the rebuild this page answers, if any. */
  result?: { from: string; to: string; days: number; rows: number; ms: number };
  /** A refused rebuild: shown beside the field it names (`from` or `to`), or above the form. */
  error?: FormError;
}

export function SnapshotsPage(props: SnapshotsPageProps) {
  const { status } = props;
  return (
    <Layout title="Snapshots" user={props.user} csrfToken={props.csrfToken} path="/admin/snapshots">
      <div class="page-head">
        <div>
          <h1>Snapshots</h1>
          <p class="muted">
            Dashboards and KPIs read daily snapshots. The worker rebuilds the days a change marks within a
            minute; rebuild a range here after a restore, an import or a reconciliation issue. Days are cut in{" "}
            {props.timezone}. Every rebuild is written to the audit log.
          </p>
        </div>
      </div>
      {props.error && !["from", "to"].includes(props.error.field ?? "") ? (
        <Alert kind="error">{props.error.message}</Alert>
      ) : null}
      {props.result ? (
        <Alert kind="ok" data-rebuild-result="">
          Rebuilt {count(props.result.days)} day(s), {day(props.result.from)} to {day(props.result.to)}:{" "}
          {count(props.result.rows)} row(s) written in {(props.result.ms / 1000).toFixed(1)} s.
        </Alert>
      ) : null}
      <div class="grid two">
        <section class="panel">
          <h2>State</h2>
          <dl class="facts">
            <dt>Days covered</dt>
            <dd
              data-gaps={status.covered?.gaps ?? undefined}
              data-other-zone={status.covered?.otherZone ?? undefined}
            >
              <Coverage covered={status.covered} timezone={props.timezone} />
            </dd>
            <dt>Waiting for the worker</dt>
            <dd data-waiting={status.waiting?.days ?? 0}>
              {status.waiting
                ? `${count(status.waiting.days)} day(s), ${day(status.waiting.from)} to ${day(status.waiting.to)}, marked since ${dateTime(status.waiting.oldestMark)}`
                : "nothing: every change is in the snapshots"}
            </dd>
          </dl>
        </section>
        <section class="panel">
          <h2>Rebuild a range</h2>
          {/* data-working: app.js disables the button and says the rebuild is running until the page answers. */}
          <form
            class="form inline"
            method="post"
            action="/admin/snapshots/rebuild"
            data-working="Working: rebuilding the snapshots in one transaction…"
          >
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <LabelledInput
              label="From"
              type="date"
              name="from"
              value={props.from}
              required
              error={props.error}
            />
            <LabelledInput label="To" type="date" name="to" value={props.to} required error={props.error} />
            <button type="submit" class="button primary" data-busy-label="Rebuilding…">
              Rebuild
            </button>
            <output class="working-status muted" aria-live="polite" />
          </form>
          <p class="muted">
            One transaction: dashboards keep showing the old figures until it commits. Same data, same rows,
            so a rebuild changes nothing when the snapshots were right.
          </p>
        </section>
      </div>
      <section class="panel">
        <h2>Latest rebuilds</h2>
        <DataTable
          class="snapshot-builds"
          rows={status.recent}
          empty="No rebuild yet."
          columns={[
            { header: "When", cell: (b: SnapshotBuildRecord) => dateTime(b.at) },
            {
              header: "By",
              cell: (b: SnapshotBuildRecord) =>
                actorLabel({ type: b.actorType, id: b.actorId, role: b.actorRole }, props.people),
            },
            {
              header: "Days",
              cell: (b: SnapshotBuildRecord) => (b.from && b.to ? `${day(b.from)} to ${day(b.to)}` : "—"),
            },
            {
              header: "Day count",
              numeric: true,
              cell: (b: SnapshotBuildRecord) => (b.days === null ? "—" : count(b.days)),
            },
            {
              header: "Rows",
              numeric: true,
              cell: (b: SnapshotBuildRecord) => (b.rows === null ? "—" : count(b.rows)),
            },
          ]}
        />
      </section>
    </Layout>
  );
}

/** The days built, and what in between is not as the dashboards need it (never built, or cut in another zone). */
function Coverage({ covered, timezone }: { covered: SnapshotCoverage | null; timezone: string }) {
  if (!covered) return <>none yet</>;
  const notes: string[] = [];
  if (covered.gaps === null)
    notes.push(
      "from the daily ledger: built before builds recorded their days; rebuild the range to record them",
    );
  if (covered.gaps) notes.push(`${count(covered.gaps)} day(s) in between never built`);
  if (covered.otherZone)
    notes.push(
      `${count(covered.otherZone)} day(s) last built in another time zone than ${timezone}: rebuild them`,
    );
  return (
    <>
      {day(covered.from)} to {day(covered.to)}
      {notes.map((note) => (
        <span class="note">{note}</span>
      ))}
    </>
  );
}
