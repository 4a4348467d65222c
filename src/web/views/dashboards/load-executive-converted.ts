import {
  computeConvertedKpis,
  getConvertedSeries,
  type Series,
  type SeriesMetric,
} from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { type CurrencyView, convertedCards } from "./currency-view.ts";
import { EXECUTIVE_SERIES, type ExecutiveData } from "./executive.tsx";

/**
 * The executive dashboard in the converted view (kpis.md "Reporting currency"): every currency in
 * the reporting currency. The cards show the converted figures (empty when a rate is missing), read
 * in the reporting currency's format; the page names the missing pairs and days.
 */
export async function loadExecutiveConverted(ctx: AppContext, view: CurrencyView): Promise<ExecutiveData> {
  const { range } = view;
  const base = { livemode: ctx.config.livemode, reportingCurrency: view.reportingCurrency };
  const current = await computeConvertedKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeConvertedKpis(ctx, { ...base, ...range.previous });
  const series = {} as ExecutiveData["series"];
  for (const metric of EXECUTIVE_SERIES) {
    series[metric] = await convertedSeries(ctx, view, metric);
  }
  return {
    ...view,
    current: convertedCards(current),
    previous: convertedCards(previous),
    series,
    converted: {
      reportingCurrency: current.reporting_currency,
      missing: current.fx.missing,
      source: current.fx.source,
    },
  };
}

/** One converted series of the range, read as a `Series` in the reporting currency (null buckets: a rate is missing). */
export async function convertedSeries(ctx: AppContext, view: CurrencyView, metric: string): Promise<Series> {
  const s = await getConvertedSeries(ctx, {
    livemode: ctx.config.livemode,
    reportingCurrency: view.reportingCurrency,
    metric: metric as SeriesMetric,
    grain: view.range.grain,
    from: view.range.from,
    to: view.range.to,
  });
  return { ...s, currency: s.reporting_currency } as Series;
}
