import { type DashboardRange, periodLabel, rangeQuery } from "../dashboards/range.ts";

/**
 * Said instead of a page of zeros when the chosen currency has no data in the range, with links to
 * the same range in the currencies that have some.
 */
export function NoCurrencyData(props: {
  path: string;
  range: DashboardRange;
  currency: string;
  withData: string[];
}) {
  const others = props.withData.filter((c) => c !== props.currency);
  return (
    <section class="panel no-data" data-no-data={props.currency}>
      <h2>No {props.currency.toUpperCase()} data in this period</h2>
      <p>
        Nothing was charged, refunded, disputed, ordered or subscribed in {props.currency.toUpperCase()} in{" "}
        {periodLabel(props.range)}: there are no figures to show, which is not the same as zeros.
      </p>
      {others.length ? (
        <p>
          Currencies with data in this period:{" "}
          {others.map((c, i) => (
            <>
              {i > 0 ? ", " : ""}
              <a href={`${props.path}${rangeQuery(props.range, { currency: c })}`}>{c.toUpperCase()}</a>
            </>
          ))}
          .
        </p>
      ) : (
        <p>No currency has data in this period: try a longer range.</p>
      )}
    </section>
  );
}
