import {
  type DashboardRange,
  GRAINS,
  PRESET_LABELS,
  PRESETS,
  periodLabel,
  rangeQuery,
} from "../dashboards/range.ts";

export interface RangeSelectorProps {
  path: string;
  range: DashboardRange;
  /** Currencies with data; the selector is hidden when there is at most one. */
  currencies: string[];
  /** "all" for the converted view. */
  currency: string;
  /** Offers "All currencies (in …)" when set (the executive dashboard). */
  reportingCurrency?: string;
}

const GRAIN_LABELS = { day: "Day", week: "Week", month: "Month" } as const;

/**
 * Presets (today … last 12 months), a custom range, a day/week/month grain and a currency: plain
 * links and a GET form (no script needed). The comparison period is named under it.
 */
export function RangeSelector(props: RangeSelectorProps) {
  const { range } = props;
  return (
    <div class="range-selector">
      <nav class="chips" aria-label="Period">
        {PRESETS.map((p) => (
          <a
            href={`${props.path}${rangeQuery(range, { preset: p })}`}
            aria-current={range.preset === p ? "true" : undefined}
            data-preset={p}
          >
            {PRESET_LABELS[p]}
          </a>
        ))}
      </nav>
      <form method="get" action={props.path} class="form inline range-form">
        <input type="hidden" name="preset" value={range.preset} />
        {range.grainChosen ? <input type="hidden" name="grain" value={range.grain} /> : null}
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
            {props.reportingCurrency ? (
              <option value="all" selected={props.currency === "all"}>
                All currencies (in {props.reportingCurrency.toUpperCase()})
              </option>
            ) : null}
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
      <nav class="segmented grain" aria-label="Chart buckets">
        {GRAINS.map((g) => (
          <a
            href={`${props.path}${rangeQuery(range, { grain: g })}`}
            aria-current={range.grain === g ? "true" : undefined}
            data-grain={g}
          >
            {GRAIN_LABELS[g]}
          </a>
        ))}
      </nav>
      <p class="muted period-label" data-comparison={range.previous.name}>
        {range.preset === "custom" ? "" : `${PRESET_LABELS[range.preset]}: `}
        {periodLabel(range)} · compared with {range.previous.name} ({periodLabel(range.previous)})
      </p>
    </div>
  );
}
