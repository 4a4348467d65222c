import { addDays, dayOf } from "../../analytics/core/periods.ts";
import { computeConvertedKpis } from "../../analytics/index.ts";
import type { Check, Finding } from "../types.ts";

/** How far back the check looks for days the converted view cannot convert (about ten years). */
const LOOKBACK_DAYS = 3650;

/**
 * kpis.md "Reporting currency": a day with no rate on or before it makes the converted KPIs null,
 * never a guess, and this check names the missing pair and days until the rates exist.
 */
export const fxRates: Check = {
  name: "fx-rates",
  description:
    "Every currency with data has an exchange rate into the reporting currency for each day it is needed (the day's or an earlier day's).",
  severity: "warning",
  fix: "Import the missing rates: download the ECB reference rates (eurofxref-hist.csv) and run `revintel fx import eurofxref-hist.csv`; in Stripe mode `revintel stripe sync` also records Stripe's realised rates. The issue names the pair and the days. The converted KPIs of those days stay empty (null) until then.",
  async run(ctx) {
    const { config, now } = ctx;
    const to = addDays(dayOf(now, config.reportingTimezone), -1);
    const kpis = await computeConvertedKpis(
      { ...ctx, readDb: ctx.db },
      { from: addDays(to, -(LOOKBACK_DAYS - 1)), to, livemode: config.livemode },
    );
    return kpis.fx.missing.map(
      (m): Finding => ({
        fingerprint: `pair:${m.pair}`,
        title: `No ${m.pair} exchange rate for ${m.days.length} day(s) from ${m.days[0]} to ${m.days[m.days.length - 1]}`,
        details: {
          pair: m.pair,
          reportingCurrency: kpis.reporting_currency,
          days: m.days.length,
          firstDay: m.days[0],
          lastDay: m.days[m.days.length - 1],
          fix: `revintel fx import eurofxref-hist.csv (an ECB file with ${m.pair.split("/")[0]} and ${m.pair.split("/")[1]} rates from ${m.days[0]})`,
        },
      }),
    );
  },
};
