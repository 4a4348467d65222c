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
      <button type="submit">Search</button>
    </form>
  );
}
