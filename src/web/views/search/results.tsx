import { Alert } from "../components/alert.tsx";
import { KIND_LABELS, type SearchResult } from "./run-search.ts";

/** The search page: results grouped by kind, or what was searched and what was not. */
export function SearchResultsView(props: { query: string; result: SearchResult | null; error?: string }) {
  const { result } = props;
  const total = result?.groups.reduce((n, g) => n + g.hits.length, 0) ?? 0;
  return (
    <div class="search-page">
      <div class="page-head">
        <h1>Search</h1>
      </div>
      <form class="panel search-form" aria-label="Search" method="get" action="/search">
        <label for="search-q">
          Order number, e-mail, name, Stripe id (cus_, ch_, pi_, sub_, in_, re_, dp_, evt_), product or SKU
        </label>
        <div class="search-row">
          <input id="search-q" type="search" name="q" value={props.query} maxlength={200} />
          <button type="submit" class="button">
            Search
          </button>
        </div>
        {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      </form>
      {result ? (
        <p class="muted" aria-live="polite" data-search-count={total}>
          {total === 0
            ? `No results for “${props.query}”.`
            : `${total} result${total === 1 ? "" : "s"} for “${props.query}”.`}
          {result.withheld.length ? ` Not searched for your role: ${result.withheld.join(", ")}.` : ""}
        </p>
      ) : null}
      {result?.groups.map((group) => (
        <section class="panel search-group" data-kind={group.kind} aria-labelledby={`group-${group.kind}`}>
          <h2 id={`group-${group.kind}`}>{KIND_LABELS[group.kind]}</h2>
          <ul class="search-hits">
            {group.hits.map((hit) => (
              <li>
                {hit.href ? <a href={hit.href}>{hit.title}</a> : <strong>{hit.title}</strong>}
                <span class="muted">{hit.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
