import { computeKpis, getSeries, type SeriesMetric } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import type { ExecutiveData } from "./executive.tsx";
import { type DashboardRange, dashboardCurrency } from "./range.ts";

const SERIES: Array<keyof ExecutiveData["series"]> = [
  "net_revenue",
  "refunds",
  "mrr",
  "mrr_new",
  "mrr_expansion",
  "mrr_reactivation",
  "mrr_contraction",
  "mrr_churn",
];

/** Everything the executive dashboard shows, read from snapshots on the read database. */
export async function loadExecutive(ctx: AppContext, range: DashboardRange): Promise<ExecutiveData> {
  const { currency, currencies, withData, hasData } = await dashboardCurrency(ctx, range);
  const base = { currency, livemode: ctx.config.livemode };
  const current = await computeKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeKpis(ctx, { ...base, ...range.previous });
  const grain = range.grain;
  const series = {} as ExecutiveData["series"];
  for (const metric of SERIES) {
    series[metric] = await getSeries(ctx, {
      ...base,
      metric: metric as SeriesMetric,
      grain,
      from: range.from,
      to: range.to,
    });
  }
  return { range, currency, currencies, withData, hasData, current, previous, series };
}
