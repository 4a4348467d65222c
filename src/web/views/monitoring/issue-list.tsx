import type { SessionUser } from "../../../auth/index.ts";
import type { Check, Issue, IssueFilter, IssuePage } from "../../../monitoring/index.ts";
import { ISSUE_SEVERITIES, ISSUE_STATUSES } from "../../../monitoring/index.ts";
import { type Column, DataTable } from "../components/data-table.tsx";
import { FilterSelect } from "../components/filter-select.tsx";
import { dateTime } from "../components/format.ts";
import { Pagination } from "../components/pagination.tsx";
import { Layout } from "../layout.tsx";

export interface IssueListProps {
  user: SessionUser | null;
  csrfToken: string;
  filter: IssueFilter;
  result: IssuePage;
  checks: readonly Check[];
  /** Admins see the way to the snapshot rebuild page. */
  canRebuild?: boolean;
}

/** Builds a list URL from a filter (only known values ever reach it: the route validated them). */
export function listHref(filter: IssueFilter, page = 1): string {
  const q = new URLSearchParams();
  q.set("status", filter.status ?? "all");
  if (filter.check) q.set("check", filter.check);
  if (filter.severity) q.set("severity", filter.severity);
  if (page > 1) q.set("page", String(page));
  return `/monitoring/issues?${q}`;
}

const ISSUE_COLUMNS: Column<Issue>[] = [
  { header: "Severity", cell: (issue) => <span class={`badge ${issue.severity}`}>{issue.severity}</span> },
  { header: "Check", cell: (issue) => issue.check },
  { header: "Issue", cell: (issue) => <a href={`/monitoring/issues/${issue.id}`}>{issue.title}</a> },
  { header: "Status", cell: (issue) => <span class={`badge ${issue.status}`}>{issue.status}</span> },
  { header: "Seen", numeric: true, cell: (issue) => issue.occurrences },
  { header: "Last seen", cell: (issue) => dateTime(issue.lastSeen) },
];

export function IssueListPage(props: IssueListProps) {
  const { filter, result } = props;
  return (
    <Layout title="Data quality" user={props.user} csrfToken={props.csrfToken} path="/monitoring/issues">
      <div class="page-head">
        <h1>Data quality issues</h1>
        <p class="muted">
          Found by the scheduled checks (<code>revintel checks run</code>). Resolve or ignore with a note once
          handled; a rerun resolves an issue on its own when the condition is gone.
          {props.canRebuild ? (
            <>
              {" "}
              Snapshot issues: <a href="/admin/snapshots">rebuild a range of days</a>.
            </>
          ) : null}
        </p>
      </div>
      <form class="form inline dq-filters" method="get" action="/monitoring/issues">
        <FilterSelect
          label="Status"
          name="status"
          any="all"
          anyValue="all"
          options={ISSUE_STATUSES}
          selected={filter.status}
        />
        <FilterSelect
          label="Check"
          name="check"
          any="all checks"
          options={props.checks.map((c) => c.name)}
          selected={filter.check}
        />
        <FilterSelect
          label="Severity"
          name="severity"
          any="any"
          options={ISSUE_SEVERITIES}
          selected={filter.severity}
        />
        <button type="submit" class="button small">
          Filter
        </button>
      </form>
      <section class="panel">
        <DataTable
          class="dq-issues"
          columns={ISSUE_COLUMNS}
          rows={result.items}
          empty={<p class="muted dq-empty">No issues match these filters.</p>}
        />
        <Pagination
          page={result.page}
          pageSize={result.pageSize}
          total={result.total}
          href={(p) => listHref(filter, p)}
        />
      </section>
    </Layout>
  );
}
