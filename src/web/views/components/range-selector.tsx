import { type DashboardRange, PRESETS, periodLabel, rangeQuery } from "../dashboards/range.ts";

export interface RangeSelectorProps {
  path: string;
  range: DashboardRange;
  /** Currencies with data; the selector is hidden when there is at most one. */
  currencies: string[];
  currency: string;
}

/** 7 / 30 / 90 days, a custom range and a currency: plain links and a GET form (no script needed). */
export function RangeSelector(props: RangeSelectorProps) {
  const { range } = props;
  return (
    <div class="range-selector">
      <nav class="segmented" aria-label="Period">
        {PRESETS.map((p) => (
          <a
            href={`${props.path}${rangeQuery(range, { range: p })}`}
            aria-current={range.preset === p ? "true" : undefined}
            data-range={p}
          >
            {p} days
          </a>
        ))}
      </nav>
      <form method="get" action={props.path} class="form inline range-form">
        <input type="hidden" name="range" value={range.preset} />
        <label>
          From
          <input type="date" name="from" value={range.from} required />
        </label>
        <label>
          To
          <input type="date" name="to" value={range.to} required />
        </label>
        <label>
          Currency
          <select name="currency">
            {(props.currencies.length ? props.currencies : [props.currency]).map((c) => (
              <option value={c} selected={c === props.currency}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button small">
          Apply
        </button>
      </form>
      <p class="muted period-label">
        {periodLabel(range)} · compared with {periodLabel(range.previous)}
      </p>
    </div>
  );
}
