import { can, type Role } from "../../../auth/index.ts";
import { MAX_QUERY_LENGTH } from "./query.ts";

/** The staff search box of the top bar, for roles with `search.use` only. */
export function TopbarSearch(props: { role: Role | null | undefined; query?: string }) {
  if (!can(props.role, "search.use")) return null;
  return (
    <form class="topbar-search" aria-label="Search" method="get" action="/search">
      <label class="visually-hidden" for="topbar-q">
        Search orders, customers, Stripe ids and products
      </label>
      <input
        id="topbar-q"
        type="search"
        name="q"
        value={props.query}
        maxlength={MAX_QUERY_LENGTH}
        placeholder="Search…"
        autocomplete="off"
      />
      {/* A magnifier rather than a word keeps the bar one line at laptop width; the name stays "Search". */}
      <button type="submit" title="Search">
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
          <circle cx="6.75" cy="6.75" r="4.75" fill="none" stroke="currentColor" stroke-width="1.75" />
          <path d="M10.25 10.25 14.5 14.5" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" />
        </svg>
        <span class="visually-hidden">Search</span>
      </button>
    </form>
  );
}
