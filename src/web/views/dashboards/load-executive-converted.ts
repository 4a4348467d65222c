import {
  type ConvertedKpis,
  computeConvertedKpis,
  getConvertedSeries,
  type Kpis,
  type MissingRates,
  type Series,
  type SeriesMetric,
} from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { EXECUTIVE_SERIES, type ExecutiveData } from "./executive.tsx";
import type { DashboardRange } from "./range.ts";

/**
 * The executive dashboard in the converted view (kpis.md "Reporting currency"): every currency in
 * the reporting currency. The cards show the converted figures (empty when a rate is missing), read
 * in the reporting currency's format; the page names the missing pairs and days.
 */
export async function loadExecutiveConverted(
  ctx: AppContext,
  range: DashboardRange,
  picker: { currencies: string[]; withData: string[] },
): Promise<ExecutiveData> {
  const base = { livemode: ctx.config.livemode };
  const current = await computeConvertedKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeConvertedKpis(ctx, { ...base, ...range.previous });
  const series = {} as ExecutiveData["series"];
  const missing: MissingRates[] = [...current.fx.missing];
  for (const metric of EXECUTIVE_SERIES) {
    const s = await getConvertedSeries(ctx, {
      ...base,
      metric: metric as SeriesMetric,
      grain: range.grain,
      from: range.from,
      to: range.to,
    });
    series[metric] = { ...s, currency: s.reporting_currency } as Series;
  }
  return {
    range: { ...range, currency: "all" },
    currency: current.reporting_currency,
    currencies: picker.currencies,
    withData: picker.withData,
    hasData: true,
    current: asCards(current),
    previous: asCards(previous),
    series,
    reportingCurrency: current.reporting_currency,
    converted: { reportingCurrency: current.reporting_currency, missing, source: current.fx.source },
  };
}

/**
 * The cards read a `Kpis`: the converted figures with the reporting currency as the currency. A
 * missing rate leaves a money figure null, which a card shows as "—", never 0.
 */
function asCards(k: ConvertedKpis): Kpis {
  const { fx: _fx, reporting_currency, currency: _all, mrr_movements, ...rest } = k;
  return {
    ...rest,
    currency: reporting_currency,
    mrr_movements: mrr_movements ?? {
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      net: 0,
    },
  } as unknown as Kpis;
}
