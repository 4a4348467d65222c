import { computeKpis, getSeries, type SeriesMetric } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { currencyView } from "./currency-view.ts";
import { EXECUTIVE_SERIES, type ExecutiveData } from "./executive.tsx";
import { loadExecutiveConverted } from "./load-executive-converted.ts";
import type { DashboardRange } from "./range.ts";

/** Everything the executive dashboard shows, read from snapshots on the read database. */
export async function loadExecutive(ctx: AppContext, range: DashboardRange): Promise<ExecutiveData> {
  const view = await currencyView(ctx, range);
  if (view.converted) return loadExecutiveConverted(ctx, view);
  const base = { currency: view.currency, livemode: ctx.config.livemode };
  const current = await computeKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeKpis(ctx, { ...base, ...range.previous });
  const series = {} as ExecutiveData["series"];
  for (const metric of EXECUTIVE_SERIES) {
    series[metric] = await getSeries(ctx, {
      ...base,
      metric: metric as SeriesMetric,
      grain: range.grain,
      from: range.from,
      to: range.to,
    });
  }
  return { ...view, current, previous, series };
}
