import {
  computeKpis,
  getSeries,
  type SeriesMetric,
  snapshotDefaultCurrency,
} from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { EXECUTIVE_SERIES, type ExecutiveData } from "./executive.tsx";
import { loadExecutiveConverted } from "./load-executive-converted.ts";
import { type DashboardRange, dashboardCurrency } from "./range.ts";

/** Everything the executive dashboard shows, read from snapshots on the read database. */
export async function loadExecutive(ctx: AppContext, range: DashboardRange): Promise<ExecutiveData> {
  const converted = range.currency === "all";
  const { currency, currencies, withData, hasData } = await dashboardCurrency(
    ctx,
    converted ? { ...range, currency: undefined } : range,
  );
  // "All currencies" when asked for, and by default when the period has data in more than one.
  if (converted || (range.currency === undefined && withData.length > 1))
    return loadExecutiveConverted(ctx, range, { currencies, withData });
  const base = { currency, livemode: ctx.config.livemode };
  const current = await computeKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeKpis(ctx, { ...base, ...range.previous });
  const grain = range.grain;
  const series = {} as ExecutiveData["series"];
  for (const metric of EXECUTIVE_SERIES) {
    series[metric] = await getSeries(ctx, {
      ...base,
      metric: metric as SeriesMetric,
      grain,
      from: range.from,
      to: range.to,
    });
  }
  const reportingCurrency =
    ctx.config.reportingCurrency ?? (await snapshotDefaultCurrency(ctx, ctx.config.livemode));
  return { range, currency, currencies, withData, hasData, current, previous, series, reportingCurrency };
}
