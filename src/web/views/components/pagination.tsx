export interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  /** Builds the link for a page, keeping the current filters. */
  href: (page: number) => string;
}

export function Pagination(props: PaginationProps) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav class="pagination" aria-label="Pages">
      {props.page > 1 ? (
        <a class="button small" href={props.href(props.page - 1)} rel="prev">
          ← Previous
        </a>
      ) : null}
      <span class="muted">
        {first}–{last} of {props.total} · page {props.page} of {pages}
      </span>
      {props.page < pages ? (
        <a class="button small" href={props.href(props.page + 1)} rel="next">
          Next →
        </a>
      ) : null}
    </nav>
  );
}
