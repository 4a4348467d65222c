import { eachDay } from "../../../analytics/core/periods.ts";
import { computeKpis, getSeries, type SeriesMetric } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { grainFor } from "./charts.ts";
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
  const db = ctx.readDb;
  const { currency, currencies } = await dashboardCurrency(ctx, range);
  const base = { currency, timezone: ctx.config.reportingTimezone, livemode: ctx.config.livemode };
  const current = await computeKpis(db, { ...base, from: range.from, to: range.to });
  const previous = await computeKpis(db, { ...base, ...range.previous });
  const grain = grainFor(eachDay(range.from, range.to).length);
  const series = {} as ExecutiveData["series"];
  for (const metric of SERIES) {
    series[metric] = await getSeries(db, {
      ...base,
      metric: metric as SeriesMetric,
      grain,
      from: range.from,
      to: range.to,
    });
  }
  return { range, currency, currencies, current, previous, series };
}
