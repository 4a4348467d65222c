import {
  type ConvertedKpis,
  type Kpis,
  type MissingRates,
  snapshotDefaultCurrency,
} from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { type DashboardRange, dashboardCurrency } from "./range.ts";

/**
 * What a dashboard's currency picker shows and which view the page is in: one currency, or "All
 * currencies (in <reporting currency>)", the converted view of kpis.md "Reporting currency".
 */
export interface CurrencyView {
  /** The range; its currency is "all" in the converted view (kept in every link of the page). */
  range: DashboardRange;
  /** The currency figures are shown in: the reporting currency in the converted view. */
  currency: string;
  currencies: string[];
  /** Currencies with data in the range; without data for `currency` the page says so. */
  withData: string[];
  hasData: boolean;
  /** Offered in the picker as "All currencies (in …)". */
  reportingCurrency: string;
  /** Set in the converted view: the reporting currency, the rates it lacks and their source. */
  converted?: ConvertedState;
}

export interface ConvertedState {
  reportingCurrency: string;
  missing: MissingRates[];
  source: string | null;
}

/**
 * The view a dashboard opens in: "All currencies" when asked for (`currency=all`) and by default
 * when the period has data in more than one currency; else the currency asked for or the main one.
 * `converted` is set with no missing rates yet: each loader adds the ones its figures lacked.
 */
export async function currencyView(ctx: AppContext, range: DashboardRange): Promise<CurrencyView> {
  const asked = range.currency === "all";
  const picked = await dashboardCurrency(ctx, asked ? { ...range, currency: undefined } : range);
  const reportingCurrency =
    ctx.config.reportingCurrency ?? (await snapshotDefaultCurrency(ctx, ctx.config.livemode));
  if (!asked && !(range.currency === undefined && picked.withData.length > 1))
    return { ...picked, range, reportingCurrency };
  return {
    ...picked,
    range: { ...range, currency: "all" },
    currency: reportingCurrency,
    hasData: true,
    reportingCurrency,
    converted: { reportingCurrency, missing: [], source: null },
  };
}

/** The picker's props: "all" selected in the converted view. */
export function pickerOf(view: CurrencyView) {
  return {
    currencies: view.currencies,
    currency: view.converted ? "all" : view.currency,
    reportingCurrency: view.reportingCurrency,
  };
}

/** Pairs and days of several lists as one list, pairs and days sorted. */
export function mergeMissing(...lists: MissingRates[][]): MissingRates[] {
  const byPair = new Map<string, Set<string>>();
  for (const m of lists.flat()) {
    const days = byPair.get(m.pair) ?? new Set<string>();
    for (const d of m.days) days.add(d);
    byPair.set(m.pair, days);
  }
  return [...byPair]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([pair, days]) => ({ pair, days: [...days].sort() }));
}

/**
 * The cards read a `Kpis`: the converted figures with the reporting currency as the currency. A
 * missing rate leaves a money figure null, which a card shows as "—", never 0.
 */
export function convertedCards(k: ConvertedKpis): Kpis {
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
